package libcontainer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// Start runs the program of a created container (exactly once): it opens
// the exec fifo the init is blocked on, and returns once the init has
// exec'd the program.
func (c *Container) Start() error {
	switch status := c.Status(); status {
	case Created:
	case Stopped:
		return errors.New("cannot start a container that has stopped")
	default:
		return fmt.Errorf("cannot start an already %s container", status)
	}
	// The pidfd first: opening the fifo releases the init, whose program
	// (e.g. /bin/true) may have exited before a later liveness check.
	pidfd, err := c.openInit()
	if err != nil {
		return errors.New("cannot start a container that has stopped")
	}
	defer unix.Close(pidfd)
	path := filepath.Join(c.dir, execFifo)
	fifo, err := os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open exec fifo: %w", err)
	}
	defer fifo.Close()
	err = awaitStart(fifo, pidfd)
	// Without the fifo the container reads as running (or stopped) now.
	os.Remove(path)
	if err != nil {
		return err
	}
	if err := c.runPoststartHooks(); err != nil {
		// Lifecycle step 9: stop the container and go on at its
		// destruction (which runs the poststop hooks).
		return errors.Join(err, c.Destroy(true))
	}
	return nil
}

// awaitStart waits for the init's answer on the fifo — "0" once it runs
// the program, "1<error>" when a startContainer hook failed — or for the
// init to die. It reads until EOF: the init's fifo fd closes on exec.
func awaitStart(fifo *os.File, pidfd int) error {
	fds := []unix.PollFd{
		{Fd: int32(fifo.Fd()), Events: unix.POLLIN},
		{Fd: int32(pidfd), Events: unix.POLLIN},
	}
	var answer []byte
	buf := make([]byte, 4096)
	for {
		if _, err := unix.Poll(fds, -1); err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return fmt.Errorf("wait for container init: %w", err)
		}
		if fds[0].Revents&(unix.POLLIN|unix.POLLHUP) != 0 {
			n, _ := unix.Read(int(fifo.Fd()), buf)
			if n > 0 {
				answer = append(answer, buf[:n]...)
				continue
			}
			if n == 0 && len(answer) > 0 {
				return startAnswer(answer)
			}
		}
		if fds[1].Revents != 0 && fds[0].Revents&unix.POLLIN == 0 {
			if len(answer) > 0 {
				return startAnswer(answer)
			}
			return errors.New("cannot start a container that has stopped")
		}
	}
}

func startAnswer(answer []byte) error {
	if answer[0] == '0' {
		return nil
	}
	return errors.New(string(answer[1:]))
}
