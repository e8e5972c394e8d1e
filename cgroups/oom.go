package cgroups

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sys/unix"
)

// oomBuffer is how many OOM notifications may wait for a reader. It lets
// the last ones be delivered after the watch is cancelled, without a
// goroutine blocked on a reader that has gone.
const oomBuffer = 64

// oomSource is one kernel notification mechanism: a file descriptor that
// becomes readable when something may have happened, and a check that
// drains it and says what did.
type oomSource interface {
	// fd is polled for readability.
	fd() int
	// check drains fd (so that poll blocks again) and returns the number
	// of OOM events since the last check, and whether the watch is over
	// (the cgroup was removed or, where the kernel tells, has emptied).
	check() (events uint64, over bool)
	// close releases the source's file descriptors.
	close()
}

// watchOOM runs src in a goroutine: one value on the returned channel per
// OOM event. The channel is closed when the watch is over or ctx is done;
// on cancellation the events already signalled are still delivered
// (buffered), so a reader that drains the channel until it closes misses
// none. The goroutine sleeps in poll(2) between notifications.
func watchOOM(ctx context.Context, src oomSource) (<-chan struct{}, error) {
	wake, err := newWaker()
	if err != nil {
		src.close()
		return nil, err
	}
	ch := make(chan struct{}, oomBuffer)
	stop := context.AfterFunc(ctx, wake.signal)
	go func() {
		defer close(ch)
		defer src.close()
		defer wake.close()
		defer stop()
		runOOMWatch(ctx, src, wake.fd, ch)
	}()
	return ch, nil
}

// runOOMWatch checks src, delivers what it found, and sleeps until src or
// the waker (cancellation) is readable; it returns when the watch is over.
func runOOMWatch(ctx context.Context, src oomSource, wakeFd int, ch chan<- struct{}) {
	for {
		events, over := src.check()
		for ; events > 0; events-- {
			if !deliverOOM(ctx, ch) {
				return
			}
		}
		if over || ctx.Err() != nil {
			return
		}
		if err := pollReadable(src.fd(), wakeFd); err != nil {
			return
		}
	}
}

// deliverOOM sends one event, waiting for the reader while ctx lasts; once
// ctx is done it only fills the buffer. It reports whether it sent.
func deliverOOM(ctx context.Context, ch chan<- struct{}) bool {
	select {
	case ch <- struct{}{}:
		return true
	case <-ctx.Done():
		select {
		case ch <- struct{}{}:
			return true
		default:
			return false
		}
	}
}

// pollReadable blocks until one of fds is readable (or has an error).
func pollReadable(fds ...int) error {
	pfds := make([]unix.PollFd, len(fds))
	for i, fd := range fds {
		pfds[i] = unix.PollFd{Fd: int32(fd), Events: unix.POLLIN}
	}
	for {
		_, err := unix.Poll(pfds, -1)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("cgroup: OOM watch: poll: %w", err)
		}
		for _, p := range pfds {
			if p.Revents&unix.POLLNVAL != 0 {
				return fmt.Errorf("cgroup: OOM watch: poll: fd %d is not open", p.Fd)
			}
		}
		return nil
	}
}

// waker is an eventfd that interrupts the poll on cancellation. The mutex
// keeps a late signal from writing to a closed (and maybe reused) fd.
type waker struct {
	mu sync.Mutex
	fd int
}

func newWaker() (*waker, error) {
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("cgroup: OOM watch: eventfd: %w", err)
	}
	return &waker{fd: fd}, nil
}

func (w *waker) signal() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fd >= 0 {
		_ = signalEventfd(w.fd)
	}
}

func (w *waker) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	unix.Close(w.fd)
	w.fd = -1
}

// signalEventfd adds one to an eventfd's counter.
func signalEventfd(fd int) error {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	_, err := unix.Write(fd, one[:])
	return err
}

// readEventfd returns and resets an eventfd's counter; 0 when nothing was
// signalled (non-blocking fd).
func readEventfd(fd int) (uint64, error) {
	var buf [8]byte
	n, err := unix.Read(fd, buf[:])
	if errors.Is(err, unix.EAGAIN) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if n != 8 {
		return 0, fmt.Errorf("short eventfd read (%d bytes)", n)
	}
	return binary.NativeEndian.Uint64(buf[:]), nil
}
