package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/urfave/cli"
)

var psCommand = cli.Command{
	Name:      "ps",
	Usage:     "list the processes of a container",
	ArgsUsage: "<container-id> [ps options]",
	Flags: []cli.Flag{
		cli.StringFlag{Name: "format, f", Value: "table", Usage: "table or json (json: the pids)"},
	},
	SkipArgReorder: true,
	Action: func(c *cli.Context) error {
		id, err := containerID(c)
		if err != nil {
			return err
		}
		ctr, err := load(c, id, false)
		if err != nil {
			return err
		}
		pids, err := ctr.Pids()
		if err != nil {
			return err
		}
		switch f := c.String("format"); f {
		case "json":
			if pids == nil {
				pids = []int{}
			}
			return json.NewEncoder(os.Stdout).Encode(pids)
		case "table":
			return printPs(pids, c.Args()[1:])
		default:
			return fmt.Errorf("--format: unknown format %q (table or json)", f)
		}
	},
}

// printPs runs the host's ps (default "-ef") and keeps the header and the
// lines of the container's processes, as runc does.
func printPs(pids []int, psArgs []string) error {
	if len(psArgs) == 0 {
		psArgs = []string{"-ef"}
	}
	out, err := exec.Command("ps", psArgs...).Output()
	if err != nil {
		return fmt.Errorf("ps %s: %w", strings.Join(psArgs, " "), err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	col := -1
	for i, name := range strings.Fields(lines[0]) {
		if name == "PID" {
			col = i
		}
	}
	if col < 0 {
		return fmt.Errorf("ps %s: output has no PID column", strings.Join(psArgs, " "))
	}
	want := make(map[string]bool, len(pids))
	for _, p := range pids {
		want[strconv.Itoa(p)] = true
	}
	fmt.Println(lines[0])
	for _, line := range lines[1:] {
		if f := strings.Fields(line); len(f) > col && want[f[col]] {
			fmt.Println(line)
		}
	}
	return nil
}
