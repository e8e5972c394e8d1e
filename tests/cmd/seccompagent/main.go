// Command seccompagent is a seccomp agent for the integration tests: it
// listens on linux.seccomp.listenerPath, receives the runtime's seccomp
// state with the notify fd (SCM_RIGHTS), and answers the notifications:
// mkdir and mkdirat "succeed" without creating anything (or fail with
// -errno N), every other syscall continues in the kernel.
//
// Usage:
//
//	seccompagent [-log FILE] [-ready FILE] [-errno N] [-timeout D] SOCKET_PATH
//
// Each connection (one per container process) adds to the log a line
// "state <json>" with the state as received, then one line
// "syscall <name> pid <pid>" per notification. It serves until -timeout
// (then exits 0) or until killed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"
)

type options struct {
	log     string
	ready   string
	errno   int
	timeout time.Duration
	socket  string
}

func main() {
	opts, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fail(err)
	}
	if err := serve(opts); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "seccompagent: %v\n", err)
	os.Exit(1)
}

func parseFlags(args []string) (options, error) {
	var opts options
	fs := flag.NewFlagSet("seccompagent", flag.ContinueOnError)
	fs.StringVar(&opts.log, "log", "", "file the received states and notified syscalls are appended to (default: stdout)")
	fs.StringVar(&opts.ready, "ready", "", "file created once the socket is listening")
	fs.IntVar(&opts.errno, "errno", 0, "fail mkdir/mkdirat with this errno instead of faking success")
	fs.DurationVar(&opts.timeout, "timeout", time.Minute, "exit after this long")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: seccompagent [-log FILE] [-ready FILE] [-errno N] [-timeout D] SOCKET_PATH")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return opts, fmt.Errorf("expected one SOCKET_PATH argument, got %d", fs.NArg())
	}
	if opts.errno < 0 || opts.errno > 4095 {
		return opts, fmt.Errorf("-errno %d: out of range", opts.errno)
	}
	opts.socket = fs.Arg(0)
	return opts, nil
}
