package libcontainer

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/internal/system"
)

// Wait blocks until the container's init exits and returns its exit code
// (128+N for signal N). Only the process that created the container is the
// init's parent and learns the code; any other caller gets -1 once the
// init is gone.
func (c *Container) Wait() (int, error) {
	if c.isOurChild() {
		// Until we reap it, its pid cannot be reused: waiting on the
		// pid is safe, even if it is a zombie already.
		for {
			var ws unix.WaitStatus
			_, err := unix.Wait4(c.state.InitPid, &ws, 0, nil)
			if errors.Is(err, unix.EINTR) {
				continue
			}
			if err != nil {
				return -1, fmt.Errorf("wait for container %q: %w", c.state.ID, err)
			}
			return exitCode(ws), nil
		}
	}
	fd, err := c.openInit()
	if err != nil {
		return -1, err
	}
	defer unix.Close(fd)
	return -1, awaitPidfd(fd)
}

// isOurChild reports whether the recorded init (same start time, maybe a
// zombie) is a child of this process.
func (c *Container) isOurChild() bool {
	st, err := system.Stat(c.state.InitPid)
	return err == nil && st.StartTime == c.state.InitStartTime && st.PPid == os.Getpid()
}

// awaitPidfd blocks until the process of the pidfd has exited.
func awaitPidfd(fd int) error {
	for {
		_, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, -1)
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}
