package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

var listCommand = cli.Command{
	Name:  "list",
	Usage: "list the containers",
	Flags: []cli.Flag{
		cli.StringFlag{Name: "format, f", Value: "table", Usage: "table or json"},
		cli.BoolFlag{Name: "quiet, q", Usage: "print only the ids"},
	},
	Action: func(c *cli.Context) error {
		if err := exactArgs(c, 0, 0); err != nil {
			return err
		}
		// nil prints "null", as runc does
		states, err := libcontainer.ListStates(c.GlobalString("root"))
		if err != nil {
			return err
		}
		// One write at the end, not a few per line: list must stay cheap
		// with hundreds of containers.
		out := bufio.NewWriter(os.Stdout)
		switch f := c.String("format"); {
		case c.Bool("quiet"):
			for _, s := range states {
				fmt.Fprintln(out, s.ID)
			}
		case f == "table":
			printTable(out, states)
		case f == "json":
			if err := json.NewEncoder(out).Encode(states); err != nil {
				return err
			}
		default:
			return fmt.Errorf("--format: unknown format %q (table or json)", f)
		}
		return out.Flush()
	},
}

func printTable(out io.Writer, states []libcontainer.OCIState) {
	w := tabwriter.NewWriter(out, 12, 1, 3, ' ', 0)
	fmt.Fprint(w, "ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n")
	for _, s := range states {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\n", s.ID, s.Pid, s.Status, s.Bundle,
			s.Created.Format(time.RFC3339Nano), s.Owner)
	}
	w.Flush()
}
