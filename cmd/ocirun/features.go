package main

import (
	"encoding/json"
	"os"

	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/specconv"
)

var featuresCommand = cli.Command{
	Name:  "features",
	Usage: "show what this runtime supports (runtime-spec features JSON)",
	Action: func(c *cli.Context) error {
		if err := exactArgs(c, 0, 0); err != nil {
			return err
		}
		f := specconv.Features(map[string]string{
			"org.ocirun.version": version,
			"org.ocirun.commit":  gitCommit,
		})
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "    ")
		return enc.Encode(f)
	},
}
