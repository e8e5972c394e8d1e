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
		return withLocked(c, (*libcontainer.Container).Start)
	},
}
