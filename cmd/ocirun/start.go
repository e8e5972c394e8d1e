package main

import (
	"github.com/urfave/cli"
)

var startCommand = cli.Command{
	Name:      "start",
	Usage:     "start the program of a created container",
	ArgsUsage: "<container-id>",
	Action: func(c *cli.Context) error {
		id, err := onlyID(c)
		if err != nil {
			return err
		}
		ctr, err := load(c, id, true)
		if err != nil {
			return err
		}
		defer ctr.Close()
		return ctr.Start()
	},
}
