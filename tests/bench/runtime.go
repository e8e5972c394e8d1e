package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// runtimeCLI runs one runtime's command line with its own state root.
// Every invocation is an exec of the binary with stdin on /dev/null and
// stdout+stderr in a file (never a pipe: a container keeps the stdio it
// inherits, and a pipe would make Wait last as long as the container).
type runtimeCLI struct {
	name   string // ocirun, runc or crun
	binary string // absolute path
	root   string // --root
}

// call is one invocation's output file; one per concurrent caller.
type call struct {
	out *os.File
}

func newCall(path string) (*call, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open runtime output file: %w", err)
	}
	return &call{out: f}, nil
}

func (c *call) close() { c.out.Close() }

// run executes `binary --root ROOT args...` and returns its wall time. A
// non-zero exit is an error carrying the runtime's output, which aborts
// the bench: a failing runtime must never turn into a fast sample.
func (r *runtimeCLI) run(c *call, args ...string) (time.Duration, error) {
	if err := c.out.Truncate(0); err != nil {
		return 0, fmt.Errorf("truncate runtime output: %w", err)
	}
	cmd := exec.Command(r.binary, append([]string{"--root", r.root}, args...)...)
	cmd.Stdout, cmd.Stderr = c.out, c.out
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		return took, fmt.Errorf("%s %s: %w: %s", r.name, strings.Join(args, " "), err, c.tail())
	}
	return took, nil
}

// tail is the end of the last invocation's output, on one line.
func (c *call) tail() string {
	const keep = 2048
	b, err := os.ReadFile(c.out.Name())
	if err != nil {
		return "(output unreadable: " + err.Error() + ")"
	}
	if len(b) > keep {
		b = b[len(b)-keep:]
	}
	s := strings.Join(strings.Fields(string(b)), " ")
	if s == "" {
		return "(no output)"
	}
	return s
}
