// Package hooks runs OCI lifecycle hooks (runtime-spec "POSIX-platform
// Hooks"): each hook is executed with its path, args and env, gets the
// container state as JSON on stdin, and is killed when its timeout expires.
package hooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Phase names a hook list, as in config.json's hooks object.
type Phase string

// The phases.
const (
	Prestart        Phase = "prestart"
	CreateRuntime   Phase = "createRuntime"
	CreateContainer Phase = "createContainer"
	StartContainer  Phase = "startContainer"
	Poststart       Phase = "poststart"
	Poststop        Phase = "poststop"
)

// List returns the hooks of one phase.
func List(h *specs.Hooks, phase Phase) []specs.Hook {
	if h == nil {
		return nil
	}
	switch phase {
	case Prestart:
		return h.Prestart //nolint:staticcheck // deprecated, still run
	case CreateRuntime:
		return h.CreateRuntime
	case CreateContainer:
		return h.CreateContainer
	case StartContainer:
		return h.StartContainer
	case Poststart:
		return h.Poststart
	case Poststop:
		return h.Poststop
	}
	return nil
}

// Run runs the hooks of phase in order and stops at the first failure
// (the rule for the hooks that can fail an operation).
func Run(h *specs.Hooks, phase Phase, state *specs.State) error {
	return run(h, phase, state, false)
}

// RunAll runs every hook of phase even when some fail and returns all the
// failures (the rule for poststart and poststop).
func RunAll(h *specs.Hooks, phase Phase, state *specs.State) error {
	return run(h, phase, state, true)
}

func run(h *specs.Hooks, phase Phase, state *specs.State, keepGoing bool) error {
	list := List(h, phase)
	if len(list) == 0 {
		return nil
	}
	input, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("hooks.%s: encode state: %w", phase, err)
	}
	var errs []error
	for i, hook := range list {
		if err := runOne(hook, input); err != nil {
			errs = append(errs, fmt.Errorf("hooks.%s[%d] (%s): %w", phase, i, hook.Path, err))
			if !keepGoing {
				break
			}
		}
	}
	return errors.Join(errs...)
}

func runOne(hook specs.Hook, input []byte) error {
	ctx := context.Background()
	if hook.Timeout != nil {
		if *hook.Timeout <= 0 {
			return errors.New("timeout must be positive")
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(*hook.Timeout)*time.Second)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, hook.Path)
	if len(hook.Args) > 0 {
		cmd.Args = hook.Args
	}
	cmd.Env = hook.Env
	cmd.Stdin = bytes.NewReader(input)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// The hook may leave children holding our pipe: don't wait for them.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Errorf("timed out after %ds and was killed", *hook.Timeout)
	}
	if err != nil {
		if msg := strings.TrimSpace(out.String()); msg != "" {
			return fmt.Errorf("%w: %s", err, oneLine(msg))
		}
		return err
	}
	return nil
}

// oneLine keeps the error one line and short: engines show it to users.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 512 {
		s = s[:512] + "..."
	}
	return s
}
