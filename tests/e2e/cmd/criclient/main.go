// Command criclient is a crictl stand-in for the e2e tier: one CRI call per
// invocation against a containerd socket.
//
//	criclient --socket S version
//	criclient --socket S image REF                                → image id (exit 1: unknown)
//	criclient --socket S runp [--runtime HANDLER] POD.json       → pod id
//	criclient --socket S create POD_ID CONTAINER.json POD.json   → container id
//	criclient --socket S start|stop|rm ID
//	criclient --socket S exec [--timeout SECONDS] ID CMD [ARG...] (exits with CMD's code)
//	criclient --socket S inspect ID | inspectp POD_ID            → JSON {status, info}
//	criclient --socket S stopp|rmp POD_ID
//
// Errors print one line and exit with 125, so that they are never taken for
// an exit code of an exec'd command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/ocirun/ocirun/tests/e2e/criclient"
)

// errorExit is the exit status of a failed CRI call or bad usage.
const errorExit = 125

// command runs one subcommand with its arguments; the int is the process's
// exit status when there is no error.
type command func(ctx context.Context, c *criclient.Client, args []string) (int, error)

var commands = map[string]command{
	"version":  versionCmd,
	"image":    imageCmd,
	"runp":     runPodCmd,
	"create":   createCmd,
	"start":    startCmd,
	"exec":     execCmd,
	"stop":     stopCmd,
	"rm":       removeCmd,
	"inspect":  inspectCmd,
	"inspectp": inspectPodCmd,
	"stopp":    stopPodCmd,
	"rmp":      removePodCmd,
}

func main() {
	code, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "criclient:", err)
		os.Exit(errorExit)
	}
	os.Exit(code)
}

func run(argv []string) (int, error) {
	flags := flag.NewFlagSet("criclient", flag.ContinueOnError)
	socket := flags.String("socket", "/run/containerd/containerd.sock", "CRI endpoint (unix socket path)")
	timeout := flags.Duration("call-timeout", 2*time.Minute, "limit for the whole call")
	if err := flags.Parse(argv); err != nil {
		return 0, err
	}
	if flags.NArg() == 0 {
		return 0, errors.New("usage: criclient [--socket S] COMMAND [ARG...]")
	}
	cmd, ok := commands[flags.Arg(0)]
	if !ok {
		return 0, fmt.Errorf("unknown command %q", flags.Arg(0))
	}
	client, err := criclient.Dial(*socket)
	if err != nil {
		return 0, err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	return cmd(ctx, client, flags.Args()[1:])
}
