package main

import (
	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

var createCommand = cli.Command{
	Name:      "create",
	Usage:     "create a container (its program waits for start)",
	ArgsUsage: "<container-id>",
	Flags:     createFlags,
	Action: func(c *cli.Context) error {
		id, err := onlyID(c)
		if err != nil {
			return err
		}
		opts, err := createOptions(c, id)
		if err != nil {
			return err
		}
		ctr, err := libcontainer.Create(opts)
		if err != nil {
			return err
		}
		ctr.Close()
		return nil
	},
}
