package main

import (
	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

var startCommand = cli.Command{
	Name:      "start",
	Usage:     "start the program of a created container",
	ArgsUsage: "<container-id>",
	Action: func(c *cli.Context) error {
		if err := exactArgs(c, 1, 1); err != nil {
			return err
		}
		id, err := containerID(c)
		if err != nil {
			return err
		}
		ctr, err := libcontainer.Load(c.GlobalString("root"), id, true)
		if err != nil {
			return err
		}
		defer ctr.Close()
		return ctr.Start()
	},
}
