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
	path := filepath.Join(c.dir, execFifo)
	fifo, err := os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open exec fifo: %w", err)
	}
	defer fifo.Close()
	pidfd, err := c.openInit()
	if err != nil {
		return errors.New("cannot start a container that has stopped")
	}
	defer unix.Close(pidfd)
	if err := awaitStartByte(fifo, pidfd); err != nil {
		return err
	}
	// Without the fifo the container reads as running from now on.
	return os.Remove(path)
}

// awaitStartByte waits for the init's "go" byte on the fifo (written once
// it has opened the fifo, which our open let it do) or for the init to die.
func awaitStartByte(fifo *os.File, pidfd int) error {
	fds := []unix.PollFd{
		{Fd: int32(fifo.Fd()), Events: unix.POLLIN},
		{Fd: int32(pidfd), Events: unix.POLLIN},
	}
	for {
		if _, err := unix.Poll(fds, -1); err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return fmt.Errorf("wait for container init: %w", err)
		}
		if fds[0].Revents&(unix.POLLIN|unix.POLLHUP) != 0 {
			buf := make([]byte, 1)
			if n, _ := unix.Read(int(fifo.Fd()), buf); n == 1 {
				return nil
			}
			return errors.New("container init exited before starting the program")
		}
		if fds[1].Revents != 0 {
			return errors.New("cannot start a container that has stopped")
		}
	}
}
