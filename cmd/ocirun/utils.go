package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
	"github.com/ocirun/ocirun/specconv"
)

// containerID returns the single id argument of a command.
func containerID(c *cli.Context) (string, error) {
	if c.NArg() < 1 {
		return "", errors.New("container id: missing argument")
	}
	id := c.Args().First()
	return id, libcontainer.ValidateID(id)
}

// onlyID returns the id of a command whose only argument is the id.
func onlyID(c *cli.Context) (string, error) {
	if err := exactArgs(c, 1, 1); err != nil {
		return "", err
	}
	return containerID(c)
}

// withLocked runs fn on the container named by the only argument, locked.
func withLocked(c *cli.Context, fn func(*libcontainer.Container) error) error {
	id, err := onlyID(c)
	if err != nil {
		return err
	}
	ctr, err := load(c, id, true)
	if err != nil {
		return err
	}
	defer ctr.Close()
	return fn(ctr)
}

// load opens the container named on the command line (locked if exclusive).
func load(c *cli.Context, id string, exclusive bool) (*libcontainer.Container, error) {
	return libcontainer.Load(c.GlobalString("root"), id, exclusive)
}

// exactArgs checks the number of positional arguments.
func exactArgs(c *cli.Context, min, max int) error {
	if n := c.NArg(); n < min || n > max {
		return fmt.Errorf("%s: expected %d to %d arguments, got %d (see --help)", c.Command.Name, min, max, n)
	}
	return nil
}

var createFlags = []cli.Flag{
	cli.StringFlag{Name: "bundle, b", Usage: "path to the bundle directory (default: current directory)"},
	cli.StringFlag{Name: "console-socket", Usage: "unix socket that receives the pty master (terminal containers)"},
	cli.StringFlag{Name: "pid-file", Usage: "file to write the container's init pid to"},
	cli.BoolFlag{Name: "no-pivot", Usage: "do not use pivot_root (for a rootfs on a ramdisk)"},
	cli.BoolFlag{Name: "no-new-keyring", Usage: "do not create a new session keyring"},
	cli.IntFlag{Name: "preserve-fds", Usage: "pass this many extra fds (3, 4, ...) to the container"},
}

// createOptions turns the create/run flags and the bundle's config.json
// into libcontainer options.
func createOptions(c *cli.Context, id string) (libcontainer.CreateOptions, error) {
	var opts libcontainer.CreateOptions
	bundle, err := filepath.Abs(c.String("bundle"))
	if err != nil {
		return opts, fmt.Errorf("--bundle: %w", err)
	}
	if n := c.Int("preserve-fds"); n < 0 {
		return opts, fmt.Errorf("--preserve-fds: must not be negative")
	}
	start := time.Now()
	spec, err := specconv.LoadSpec(bundle)
	if err != nil {
		return opts, err
	}
	cfg, proc, err := specconv.Convert(spec, specconv.Options{
		ID: id, Bundle: bundle, NoPivotRoot: c.Bool("no-pivot"), NoNewKeyring: c.Bool("no-new-keyring"),
	})
	if err != nil {
		return opts, err
	}
	logrus.Debugf("phase %-50s %8.3f ms", "config load and check", float64(time.Since(start).Microseconds())/1000)
	cfg.RootlessCgroups = rootless(c)
	detached := c.Command.Name == "create" || c.Bool("detach")
	if err := checkConsoleSocket(c.String("console-socket"), proc.Terminal, detached); err != nil {
		return opts, err
	}
	return libcontainer.CreateOptions{
		Root: c.GlobalString("root"), ID: id, Bundle: bundle, Config: cfg, Process: proc,
		PreserveFds:   c.Int("preserve-fds"),
		OnReady:       func(pid int) error { return writePidFile(c.String("pid-file"), pid) },
		ConsoleSocket: c.String("console-socket"),
		Stdin:         os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
	}, nil
}

// writePidFile writes pid atomically (temp file + rename), so a reader
// never sees an empty file.
func writePidFile(path string, pid int) error {
	if path == "" {
		return nil
	}
	path, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("--pid-file: %w", err)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(pid)), 0o644); err != nil {
		return fmt.Errorf("--pid-file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("--pid-file: %w", err)
	}
	return nil
}

// checkConsoleSocket applies runc's rules: a detached terminal process
// needs --console-socket to hand its pty to, and the socket makes sense
// only for a detached terminal process.
func checkConsoleSocket(socket string, terminal, detached bool) error {
	switch {
	case terminal && detached && socket == "":
		return errors.New("process.terminal: --console-socket is required to allocate a terminal for a detached container")
	case socket != "" && !(terminal && detached):
		return errors.New("--console-socket: only valid for a detached process with a terminal (process.terminal true)")
	}
	return nil
}

// rootless is the --rootless setting: auto means "when not root".
func rootless(c *cli.Context) bool {
	switch c.GlobalString("rootless") {
	case "true":
		return true
	case "false":
		return false
	}
	return libcontainer.RootlessAuto()
}
