package main

import (
	"errors"

	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

var deleteCommand = cli.Command{
	Name:      "delete",
	Usage:     "delete a container and everything it holds",
	ArgsUsage: "<container-id>",
	Flags: []cli.Flag{
		cli.BoolFlag{Name: "force, f", Usage: "kill the container first if it is running"},
	},
	Action: func(c *cli.Context) error {
		id, err := onlyID(c)
		if err != nil {
			return err
		}
		force := c.Bool("force")
		ctr, err := load(c, id, true)
		if errors.Is(err, libcontainer.ErrNotExist) && force {
			return nil // engines clean up containers that are already gone
		}
		if err != nil {
			return err
		}
		defer ctr.Close()
		return ctr.Destroy(force)
	},
}
