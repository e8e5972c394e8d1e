package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/cgroups"
	"github.com/ocirun/ocirun/libcontainer"
	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/specconv"
)

var execCommand = cli.Command{
	Name:      "exec",
	Usage:     "run a process inside a running container",
	ArgsUsage: "<container-id> [command [args...]]",
	Flags: []cli.Flag{
		cli.StringFlag{Name: "process, p", Usage: "path to a process.json (runtime-spec Process)"},
		cli.BoolFlag{Name: "detach, d", Usage: "return once the process started"},
		cli.StringFlag{Name: "pid-file", Usage: "file to write the process's pid to"},
		cli.StringFlag{Name: "console-socket", Usage: "unix socket that receives the pty master"},
		cli.BoolFlag{Name: "tty, t", Usage: "allocate a pseudo-TTY"},
		cli.StringFlag{Name: "cwd", Usage: "working directory in the container"},
		cli.StringSliceFlag{Name: "env, e", Usage: "set an environment variable (KEY=VALUE)"},
		cli.StringFlag{Name: "user, u", Usage: "uid[:gid] to run as"},
		cli.Int64SliceFlag{Name: "additional-gids, g", Usage: "additional group id"},
		cli.StringSliceFlag{Name: "cap, c", Usage: "add a capability"},
		cli.BoolFlag{Name: "no-new-privs", Usage: "set no_new_privs"},
		cli.StringFlag{Name: "apparmor", Usage: "AppArmor profile"},
		cli.StringFlag{Name: "process-label", Usage: "SELinux label"},
		cli.IntFlag{Name: "preserve-fds", Usage: "pass this many extra fds (3, 4, ...) to the process"},
		cli.BoolFlag{Name: "ignore-paused", Usage: "allow exec in a paused container"},
		cli.StringSliceFlag{Name: "cgroup", Usage: "run in an existing sub-cgroup: [CONTROLLER[,CONTROLLER...]:]PATH (repeatable)"},
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
		proc, err := execProcess(c, ctr)
		if err != nil {
			return err
		}
		if err := checkConsoleSocket(c.String("console-socket"), proc.Terminal, c.Bool("detach")); err != nil {
			return err
		}
		sub, err := cgroups.ParseSubCgroups(c.StringSlice("cgroup"))
		if err != nil {
			return fmt.Errorf("--cgroup: %w", err)
		}
		code, err := ctr.Exec(libcontainer.ExecOptions{
			Process: proc, Detach: c.Bool("detach"), PreserveFds: c.Int("preserve-fds"),
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
			OnReady:       func(pid int) error { return writePidFile(c.String("pid-file"), pid) },
			IgnorePaused:  c.Bool("ignore-paused"),
			ConsoleSocket: c.String("console-socket"),
			SubCgroups:    sub,
		})
		if err != nil || c.Bool("detach") {
			return err
		}
		os.Exit(code)
		return nil
	},
}

// execProcess builds the process: a process.json as is, or the container's
// own config.json process with the command and the flags applied.
func execProcess(c *cli.Context, ctr *libcontainer.Container) (*configs.Process, error) {
	if path := c.String("process"); path != "" {
		return loadProcessFile(path)
	}
	if c.NArg() < 2 {
		return nil, errors.New("exec: a command (or --process) is required")
	}
	spec, err := specconv.LoadSpec(ctr.Bundle())
	if err != nil {
		return nil, err
	}
	p := spec.Process
	if p == nil {
		return nil, errors.New("process: missing in the container's config.json")
	}
	if err := applyExecFlags(c, p); err != nil {
		return nil, err
	}
	return specconv.ConvertProcess(p)
}

func loadProcessFile(path string) (*configs.Process, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--process: %w", err)
	}
	var p specs.Process
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("--process: %s: invalid JSON: %w", filepath.Base(path), err)
	}
	return specconv.ConvertProcess(&p)
}

// applyExecFlags overrides the container's process with exec's flags.
func applyExecFlags(c *cli.Context, p *specs.Process) error {
	p.Args = c.Args()[1:]
	p.Terminal = c.Bool("tty")
	p.Env = append(p.Env, c.StringSlice("env")...)
	if cwd := c.String("cwd"); cwd != "" {
		p.Cwd = cwd
	}
	if u := c.String("user"); u != "" {
		uid, gid, err := parseUser(u)
		if err != nil {
			return err
		}
		p.User.UID, p.User.GID = uid, gid
	}
	for _, g := range c.Int64Slice("additional-gids") {
		if g < 0 || g > 1<<32-1 {
			return fmt.Errorf("--additional-gids: %d out of range", g)
		}
		p.User.AdditionalGids = append(p.User.AdditionalGids, uint32(g))
	}
	if caps := c.StringSlice("cap"); len(caps) > 0 {
		if p.Capabilities == nil {
			p.Capabilities = new(specs.LinuxCapabilities)
		}
		pc := p.Capabilities
		pc.Bounding = append(pc.Bounding, caps...)
		pc.Effective = append(pc.Effective, caps...)
		pc.Permitted = append(pc.Permitted, caps...)
	}
	if c.Bool("no-new-privs") {
		p.NoNewPrivileges = true
	}
	if profile := c.String("apparmor"); profile != "" {
		p.ApparmorProfile = profile
	}
	if label := c.String("process-label"); label != "" {
		p.SelinuxLabel = label
	}
	return nil
}

// parseUser parses --user "uid[:gid]" (numeric, as runc requires).
func parseUser(s string) (uint32, uint32, error) {
	uidStr, gidStr, hasGid := strings.Cut(s, ":")
	uid, err := strconv.ParseUint(uidStr, 10, 32)
	if err != nil {
		return 0, 0, fmt.Errorf("--user %q: uid must be a number", s)
	}
	gid := uint64(0)
	if hasGid {
		if gid, err = strconv.ParseUint(gidStr, 10, 32); err != nil {
			return 0, 0, fmt.Errorf("--user %q: gid must be a number", s)
		}
	}
	return uint32(uid), uint32(gid), nil
}
