package cgroups

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// NotifyOOM watches the unified directory. See Manager.
func (m *v2Manager) NotifyOOM(ctx context.Context) (<-chan struct{}, error) {
	dir, err := m.dir()
	if err != nil {
		return nil, err
	}
	src, err := newOOMSourceV2(dir)
	if err != nil {
		return nil, err
	}
	return watchOOM(ctx, src)
}

// oomSourceV2 watches memory.events with inotify (the kernel notifies a
// modification whenever one of its counters moves) and reports each
// increase of "oom_kill", as runc does. It also watches cgroup.events so
// that the watch ends once "populated 0" says no process is left. Without
// the memory controller (no memory.events) only the end is watched.
type oomSourceV2 struct {
	dir       string
	inotifyFd int
	hasMemory bool
	kills     uint64 // oom_kill as last read
}

func newOOMSourceV2(dir string) (*oomSourceV2, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("cgroup: OOM notifications: inotify: %w", err)
	}
	s := &oomSourceV2{dir: dir, inotifyFd: fd}
	if err := s.watch("cgroup.events"); err != nil {
		s.close()
		return nil, err
	}
	if fileExists(dir, "memory.events") {
		if err := s.watch("memory.events"); err != nil {
			s.close()
			return nil, err
		}
		s.hasMemory = true
		// Counting starts now: earlier kills are not news.
		if s.kills, err = statKey(dir, "memory.events", "oom_kill"); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

func (s *oomSourceV2) watch(file string) error {
	p := filepath.Join(s.dir, file)
	if _, err := unix.InotifyAddWatch(s.inotifyFd, p, unix.IN_MODIFY); err != nil {
		return fmt.Errorf("cgroup: OOM notifications: watch %s: %w", p, err)
	}
	return nil
}

func (s *oomSourceV2) fd() int { return s.inotifyFd }

// check drains the inotify queue, then re-reads the files: the counters
// say what happened whatever the events were, and a file that is gone
// means the cgroup was removed. A file that does not parse (a test's fake
// caught half-written) is skipped: the write that completes it is a new
// event, since the queue was drained before the read.
func (s *oomSourceV2) check() (uint64, bool) {
	if err := s.drain(); err != nil {
		return 0, true
	}
	var events uint64
	if s.hasMemory {
		kills, err := statKey(s.dir, "memory.events", "oom_kill")
		switch {
		case isMissing(err):
			return 0, true
		case err == nil:
			if kills > s.kills {
				events = kills - s.kills
			}
			s.kills = kills
		}
	}
	populated, err := statKey(s.dir, "cgroup.events", "populated")
	return events, isMissing(err) || (err == nil && populated == 0)
}

// drain reads every queued inotify event; their content does not matter.
func (s *oomSourceV2) drain() error {
	buf := make([]byte, 4096)
	for {
		_, err := unix.Read(s.inotifyFd, buf)
		if errors.Is(err, unix.EAGAIN) {
			return nil
		}
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return err
		}
	}
}

func (s *oomSourceV2) close() {
	unix.Close(s.inotifyFd)
}
