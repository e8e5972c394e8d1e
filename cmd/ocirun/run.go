package main

import (
	"os"

	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

var runCommand = cli.Command{
	Name:      "run",
	Usage:     "create and start a container; wait for it unless --detach",
	ArgsUsage: "<container-id>",
	Flags: append([]cli.Flag{
		cli.BoolFlag{Name: "detach, d", Usage: "return once the program started"},
		cli.BoolFlag{Name: "keep", Usage: "keep the stopped container (do not delete it)"},
		cli.BoolFlag{Name: "no-subreaper", Usage: "accepted for runc compatibility"},
	}, createFlags...),
	Action: func(c *cli.Context) error {
		id, err := onlyID(c)
		if err != nil {
			return err
		}
		opts, err := createOptions(c, id)
		if err != nil {
			return err
		}
		if c.Bool("detach") {
			return runDetached(c, opts)
		}
		code, err := libcontainer.Run(opts, c.Bool("keep"))
		if err != nil {
			return err
		}
		os.Exit(code)
		return nil
	},
}

func runDetached(c *cli.Context, opts libcontainer.CreateOptions) error {
	opts.StartNow = true
	ctr, err := libcontainer.Create(opts)
	if err != nil {
		return err
	}
	ctr.Close()
	return nil
}
