package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/specconv"
)

var specCommand = cli.Command{
	Name:  "spec",
	Usage: "write an example config.json for a rootfs in the bundle directory",
	Flags: []cli.Flag{
		cli.StringFlag{Name: "bundle, b", Usage: "bundle directory to write config.json in"},
		cli.BoolFlag{Name: "rootless", Usage: "make the config usable by an unprivileged user"},
	},
	Action: func(c *cli.Context) error {
		if err := exactArgs(c, 0, 0); err != nil {
			return err
		}
		spec := specconv.Example()
		if c.Bool("rootless") {
			specconv.ToRootless(spec)
		}
		path := filepath.Join(c.String("bundle"), "config.json")
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%s: file already exists", path)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		data, err := json.MarshalIndent(spec, "", "\t")
		if err != nil {
			return err
		}
		return os.WriteFile(path, data, 0o666)
	},
}
