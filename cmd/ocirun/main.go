// Command ocirun is an OCI container runtime with runc's command-line
// contract. The logic lives in libcontainer; this package parses flags.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/sirupsen/logrus"
	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

// Set at build time with -ldflags "-X main.version=... -X main.gitCommit=...".
var (
	version   = "0.1.0-dev"
	gitCommit = "unknown"
)

const usage = `Open Container Initiative runtime

ocirun is a command line client for running containers packaged according
to the Open Container Initiative (OCI) runtime specification, with the same
commands, flags and exit codes as runc.`

func main() {
	if len(os.Args) > 1 && os.Args[1] == "init" {
		libcontainer.Init() // the container's init: never returns
	}
	app := newApp()
	if err := app.Run(os.Args); err != nil {
		fatal(err)
	}
}

func newApp() *cli.App {
	app := cli.NewApp()
	app.Name = "ocirun"
	app.Usage = usage
	app.Version = strings.Join([]string{
		version, "commit: " + gitCommit, "spec: " + specs.Version, "go: " + runtime.Version(),
	}, "\n")
	cli.VersionPrinter = func(c *cli.Context) {
		fmt.Printf("%s version %s\n", c.App.Name, c.App.Version)
	}
	app.Flags = globalFlags()
	app.Commands = []cli.Command{
		createCommand, deleteCommand, eventsCommand, execCommand, featuresCommand, killCommand, listCommand, pauseCommand,
		psCommand, resumeCommand, runCommand, updateCommand,
		specCommand, startCommand, stateCommand,
	}
	app.Before = configureGlobals
	app.CommandNotFound = func(c *cli.Context, name string) {
		fatal(fmt.Errorf("unknown command %q (see %s --help)", name, c.App.Name))
	}
	return app
}

func globalFlags() []cli.Flag {
	return []cli.Flag{
		cli.BoolFlag{Name: "debug", Usage: "enable debug logging"},
		cli.StringFlag{Name: "log", Usage: "write the log to this file instead of stderr"},
		cli.StringFlag{Name: "log-format", Value: "text", Usage: "log format: text or json"},
		cli.StringFlag{Name: "root", Value: defaultRoot(), Usage: "root directory for container state"},
		cli.BoolFlag{Name: "systemd-cgroup", Usage: "use the systemd cgroup driver (not supported yet)"},
		cli.StringFlag{Name: "rootless", Value: "auto", Usage: "rootless mode: true, false or auto"},
		cli.StringFlag{Name: "criu", Value: "criu", Usage: "path to criu (checkpoint/restore is not supported)"},
	}
}

func defaultRoot() string {
	if os.Geteuid() != 0 {
		if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
			return dir + "/ocirun"
		}
	}
	return "/run/ocirun"
}

// logToFile is true when --log was given: errors then go to the log too.
var logToFile bool

func configureGlobals(c *cli.Context) error {
	if c.GlobalBool("debug") {
		logrus.SetLevel(logrus.DebugLevel)
	}
	switch f := c.GlobalString("log-format"); f {
	case "text":
	case "json":
		logrus.SetFormatter(new(logrus.JSONFormatter))
	default:
		return fmt.Errorf("--log-format: unknown format %q (text or json)", f)
	}
	if path := c.GlobalString("log"); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND|os.O_SYNC, 0o644)
		if err != nil {
			return fmt.Errorf("--log: %w", err)
		}
		logrus.SetOutput(f)
		logToFile = true
	}
	if c.GlobalBool("systemd-cgroup") {
		return fmt.Errorf("--systemd-cgroup: the systemd cgroup driver is not supported yet")
	}
	switch r := c.GlobalString("rootless"); r {
	case "auto", "true", "false":
	default:
		return fmt.Errorf("--rootless: invalid value %q (true, false or auto)", r)
	}
	return nil
}

// fatal reports err once: as one line on stderr and, with --log, as the
// last line of the log, which engines show to their users.
func fatal(err error) {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if logToFile {
		logrus.Error(msg)
	}
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}
