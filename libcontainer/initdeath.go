package libcontainer

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

// explainInitDeath replaces a broken handshake (the init went away
// without a word) by what happened to it: its exit status or signal, and
// the memory limit when it was killed, since a limit too small for the
// init itself makes the kernel's OOM killer end it before it can report.
func explainInitDeath(err error, pid int, cfg *configs.Config) error {
	if !errors.Is(err, syncproto.ErrClosed) && !errors.Is(err, unix.EPIPE) && !errors.Is(err, unix.ECONNRESET) {
		return err
	}
	// An init the OOM killer hit can take over a second to finish dying
	// on a loaded machine; only then can its signal be read.
	waitGone(pid, 5*time.Second)
	var ws unix.WaitStatus
	if got, werr := unix.Wait4(pid, &ws, unix.WNOHANG, nil); werr != nil || got != pid {
		return initError(err) // not ours to reap (forked by the C stage) or still there
	}
	if !ws.Signaled() {
		return fmt.Errorf("container init exited with status %d before the container was ready", ws.ExitStatus())
	}
	msg := fmt.Sprintf("container init was killed by %s before the container was ready", unix.SignalName(ws.Signal()))
	if ws.Signal() == unix.SIGKILL && cfg.Cgroups != nil && cfg.Cgroups.Resources != nil {
		if m := cfg.Cgroups.Resources.Memory; m != nil && m.Limit != nil && *m.Limit > 0 {
			msg += fmt.Sprintf(" (out of memory? linux.resources.memory.limit is %d bytes)", *m.Limit)
		}
	}
	return errors.New(msg)
}
