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
		if err := exactArgs(c, 1, 1); err != nil {
			return err
		}
		id, err := containerID(c)
		if err != nil {
			return err
		}
		force := c.Bool("force")
		ctr, err := libcontainer.Load(c.GlobalString("root"), id, true)
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
