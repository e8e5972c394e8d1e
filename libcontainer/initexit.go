package libcontainer

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// watchInitExit returns a channel closed when the container's init exits
// or ctx is done. It fails with ErrNotRunning when the init is already
// gone. The wait costs no thread: the pidfd, made non-blocking, sleeps in
// the Go runtime's poller until the kernel marks it readable at exit.
func (c *Container) watchInitExit(ctx context.Context) (<-chan struct{}, error) {
	fd, err := c.openInit()
	if err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("watch init %d: %w", c.state.InitPid, err)
	}
	f := os.NewFile(uintptr(fd), "pidfd")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("watch init %d: %w", c.state.InitPid, err)
	}
	done := make(chan struct{})
	// Closing the file wakes the blocked Read below.
	stop := context.AfterFunc(ctx, func() { f.Close() })
	go func() {
		defer close(done)
		_ = rc.Read(func(fd uintptr) bool { return pidfdReadable(int(fd)) })
		stop()
		f.Close()
	}()
	return done, nil
}

// pidfdReadable reports, without waiting, whether the process has exited.
func pidfdReadable(fd int) bool {
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(pfd, 0)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		// An error here would recur on every wake-up: report "exited" so
		// the watch ends rather than spins.
		return err != nil || n > 0
	}
}
