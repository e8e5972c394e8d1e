package libcontainer

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/internal/phases"
)

// Run creates a container whose program starts at once, waits for it and
// returns its exit code (128+N when killed by signal N), forwarding the
// signals this process receives to it. Unless keep is set, the container
// is destroyed when its program exits.
func Run(opts CreateOptions, keep bool) (int, error) {
	// Orphans of the container (no pid namespace) are reparented to us so
	// we can reap them; signals are caught before the init exists, so
	// none is lost.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return -1, os.NewSyscallError("prctl(PR_SET_CHILD_SUBREAPER)", err)
	}
	relay := startSignalRelay()
	defer relay.stop()
	opts.StartNow = true
	opts.beforeStart = relay.wait
	clock := phases.New(debugging())
	c, err := Create(opts)
	if err != nil {
		return -1, err
	}
	mark(clock, "create total")
	c.Close() // let kill/state/delete act on it while it runs
	code := c.forwardWithTerminal(c.state.InitPid, relay.sigs)
	mark(clock, "program ran")
	if keep {
		return code, nil
	}
	c, err = Load(opts.Root, opts.ID, true)
	if err != nil {
		return code, nil // deleted by someone else meanwhile
	}
	defer c.Close()
	err = c.Destroy(true)
	mark(clock, "destroy: kill, cgroups, state")
	return code, err
}

// forwardWithTerminal forwards the pty (if the process has one) and the
// signals until pid exits, and returns its exit code.
func (c *Container) forwardWithTerminal(pid int, sigs chan os.Signal) int {
	var t *terminal
	if c.console != nil {
		t = startTerminal(c.console)
		c.console = nil
	}
	code := forwardUntilExit(pid, sigs, t.resize)
	t.close()
	return code
}

// forwardUntilExit relays signals to pid until it exits, reaping every
// child (we are a subreaper), and returns pid's exit code.
func forwardUntilExit(pid int, sigs chan os.Signal, onWinch func()) int {
	if code, done := reap(pid); done {
		return code
	}
	for s := range sigs {
		sig := s.(unix.Signal)
		switch sig {
		case unix.SIGCHLD:
			if code, done := reap(pid); done {
				return code
			}
		case unix.SIGWINCH:
			onWinch()
		case unix.SIGURG:
			// The Go runtime's preemption signal, not the user's.
		default:
			unix.Kill(pid, sig)
		}
	}
	return -1
}

// reap collects every exited child; done reports pid was among them.
func reap(pid int) (code int, done bool) {
	for {
		var ws unix.WaitStatus
		got, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || got <= 0 {
			return code, done
		}
		if got == pid {
			code, done = exitCode(ws), true
		}
	}
}

func exitCode(ws unix.WaitStatus) int {
	if ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}
