package libcontainer

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// openInit returns a pidfd of the container's init, checked against its
// recorded start time so a reused pid is never signalled.
func (c *Container) openInit() (int, error) {
	fd, err := unix.PidfdOpen(c.state.InitPid, 0)
	if err != nil {
		return -1, errContainer(c.state.ID, ErrNotRunning)
	}
	// The pidfd pins the process: if it is still ours now, it stays ours.
	if !c.initAlive() {
		unix.Close(fd)
		return -1, errContainer(c.state.ID, ErrNotRunning)
	}
	return fd, nil
}

// signalInit sends sig to the init process.
func (c *Container) signalInit(sig unix.Signal) error {
	fd, err := c.openInit()
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if err := unix.PidfdSendSignal(fd, sig, nil, 0); err != nil {
		return fmt.Errorf("signal init %d: %w", c.state.InitPid, err)
	}
	return nil
}

// waitPidfd waits up to timeout for the process behind fd to exit.
func waitPidfd(fd int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left < 0 {
			return false
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left.Milliseconds())+1)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		return err == nil && n > 0
	}
}

// waitGone waits up to timeout for pid to exit.
func waitGone(pid int, timeout time.Duration) bool {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return true // already gone (and reaped)
	}
	defer unix.Close(fd)
	return waitPidfd(fd, timeout)
}
