package main

import (
	"encoding/json"
	"os"

	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

var stateCommand = cli.Command{
	Name:      "state",
	Usage:     "print the state of a container as JSON",
	ArgsUsage: "<container-id>",
	Action: func(c *cli.Context) error {
		if err := exactArgs(c, 1, 1); err != nil {
			return err
		}
		id, err := containerID(c)
		if err != nil {
			return err
		}
		ctr, err := libcontainer.Load(c.GlobalString("root"), id, false)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ctr.OCIState())
	},
}
