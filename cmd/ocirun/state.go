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
		id, err := onlyID(c)
		if err != nil {
			return err
		}
		st, err := libcontainer.LoadState(c.GlobalString("root"), id)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	},
}
