package main

import (
	"github.com/urfave/cli"
)

var pauseCommand = cli.Command{
	Name:      "pause",
	Usage:     "freeze every process of a container",
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
		return ctr.Pause()
	},
}

var resumeCommand = cli.Command{
	Name:      "resume",
	Usage:     "thaw a paused container",
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
		return ctr.Resume()
	},
}
