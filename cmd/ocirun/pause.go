package main

import (
	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

var pauseCommand = cli.Command{
	Name:      "pause",
	Usage:     "freeze every process of a container",
	ArgsUsage: "<container-id>",
	Action: func(c *cli.Context) error {
		return withLocked(c, (*libcontainer.Container).Pause)
	},
}

var resumeCommand = cli.Command{
	Name:      "resume",
	Usage:     "thaw a paused container",
	ArgsUsage: "<container-id>",
	Action: func(c *cli.Context) error {
		return withLocked(c, (*libcontainer.Container).Resume)
	},
}
