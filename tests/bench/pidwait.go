package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// exitWatch waits for a process that is not our child (a container's init
// is reparented away from the worker) to exit, through a pidfd opened
// while the process is known to be alive, so a recycled pid cannot fool it.
type exitWatch struct {
	pid int
	fd  int // -1 when the process was already gone
}

func watchExit(pid int) (*exitWatch, error) {
	fd, err := unix.PidfdOpen(pid, 0)
	if errors.Is(err, unix.ESRCH) {
		return &exitWatch{pid: pid, fd: -1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pidfd_open %d: %w", pid, err)
	}
	return &exitWatch{pid: pid, fd: fd}, nil
}

// wait blocks until the process has exited, or fails after timeout.
func (w *exitWatch) wait(timeout time.Duration) error {
	if w.fd < 0 {
		return nil
	}
	defer w.close()
	deadline := time.Now().Add(timeout)
	fds := []unix.PollFd{{Fd: int32(w.fd), Events: unix.POLLIN}}
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return fmt.Errorf("process %d still running after %v", w.pid, timeout)
		}
		n, err := unix.Poll(fds, int(left.Milliseconds())+1)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("wait for process %d: %w", w.pid, err)
		}
		if n > 0 {
			return nil
		}
	}
}

func (w *exitWatch) close() {
	if w.fd >= 0 {
		unix.Close(w.fd)
		w.fd = -1
	}
}

// readPidFile reads a --pid-file written by a runtime.
func readPidFile(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read pid file: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("pid file %s: bad pid %q", path, b)
	}
	return pid, nil
}
