package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

var updateCommand = cli.Command{
	Name:      "update",
	Usage:     "change the resource limits of a running container",
	ArgsUsage: "<container-id>",
	Flags: []cli.Flag{
		cli.StringFlag{Name: "resources, r", Usage: "path to a linux.resources JSON file, or - for stdin"},
		cli.StringFlag{Name: "memory", Usage: "memory limit (bytes, or with k/m/g suffix; -1 = unlimited)"},
		cli.StringFlag{Name: "memory-reservation", Usage: "memory soft limit"},
		cli.StringFlag{Name: "memory-swap", Usage: "memory+swap limit"},
		cli.StringFlag{Name: "cpu-shares, cpu-share", Usage: "CPU shares (relative weight)"},
		cli.StringFlag{Name: "cpu-quota", Usage: "CFS quota in microseconds"},
		cli.StringFlag{Name: "cpu-period", Usage: "CFS period in microseconds"},
		cli.StringFlag{Name: "cpuset-cpus", Usage: "CPUs to use (e.g. 0-1)"},
		cli.StringFlag{Name: "cpuset-mems", Usage: "memory nodes to use"},
		cli.StringFlag{Name: "pids-limit", Usage: "maximum number of processes"},
	},
	Action: func(c *cli.Context) error {
		r, err := updateResources(c)
		if err != nil {
			return err
		}
		return withLocked(c, func(ctr *libcontainer.Container) error { return ctr.Update(r) })
	},
}

// updateResources reads --resources, then applies the individual flags;
// a section is only created when one of its flags is given.
func updateResources(c *cli.Context) (*specs.LinuxResources, error) {
	r := new(specs.LinuxResources)
	if path := c.String("resources"); path != "" {
		if err := readResources(path, r); err != nil {
			return nil, err
		}
	}
	steps := []error{
		flagInt(c, "memory", parseBytes, func(n int64) { memory(r).Limit = &n }),
		flagInt(c, "memory-reservation", parseBytes, func(n int64) { memory(r).Reservation = &n }),
		flagInt(c, "memory-swap", parseBytes, func(n int64) { memory(r).Swap = &n }),
		flagInt(c, "cpu-quota", parseBytes, func(n int64) { cpu(r).Quota = &n }),
		flagInt(c, "cpu-shares", parseCount, func(n int64) { u := uint64(n); cpu(r).Shares = &u }),
		flagInt(c, "cpu-period", parseCount, func(n int64) { u := uint64(n); cpu(r).Period = &u }),
		flagInt(c, "pids-limit", parseNumber, func(n int64) { r.Pids = &specs.LinuxPids{Limit: &n} }),
	}
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	if v := c.String("cpuset-cpus"); v != "" {
		cpu(r).Cpus = v
	}
	if v := c.String("cpuset-mems"); v != "" {
		cpu(r).Mems = v
	}
	return r, nil
}

// flagInt parses flag with parse and hands the value to set, if given.
func flagInt(c *cli.Context, flag string, parse func(string) (int64, error), set func(int64)) error {
	v := c.String(flag)
	if v == "" {
		return nil
	}
	n, err := parse(v)
	if err != nil {
		return fmt.Errorf("--%s: %w", flag, err)
	}
	set(n)
	return nil
}

func parseNumber(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return n, nil
}

func parseCount(s string) (int64, error) {
	n, err := parseNumber(s)
	if err == nil && n < 0 {
		err = fmt.Errorf("%q must not be negative", s)
	}
	return n, err
}

func readResources(path string, r *specs.LinuxResources) error {
	var in io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("--resources: %w", err)
		}
		defer f.Close()
		in = f
	}
	if err := json.NewDecoder(in).Decode(r); err != nil {
		return fmt.Errorf("--resources: invalid JSON: %w", err)
	}
	return nil
}

func memory(r *specs.LinuxResources) *specs.LinuxMemory {
	if r.Memory == nil {
		r.Memory = new(specs.LinuxMemory)
	}
	return r.Memory
}

func cpu(r *specs.LinuxResources) *specs.LinuxCPU {
	if r.CPU == nil {
		r.CPU = new(specs.LinuxCPU)
	}
	return r.CPU
}

// parseBytes accepts -1, plain bytes and k/m/g suffixes (powers of 1024).
func parseBytes(s string) (int64, error) {
	mult := int64(1)
	lower := strings.ToLower(strings.TrimSuffix(strings.ToLower(s), "b"))
	if n := len(lower); n > 0 {
		switch lower[n-1] {
		case 'k':
			mult, lower = 1<<10, lower[:n-1]
		case 'm':
			mult, lower = 1<<20, lower[:n-1]
		case 'g':
			mult, lower = 1<<30, lower[:n-1]
		}
	}
	n, err := strconv.ParseInt(lower, 10, 64)
	if err != nil || (n < 0 && n != -1) {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	if n == -1 {
		return -1, nil
	}
	return n * mult, nil
}
