package cgroups

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// NotifyOOM watches the v1 memory cgroup (or, on a hybrid host without a
// v1 memory hierarchy, the unified directory). See Manager.
func (m *v1Manager) NotifyOOM(ctx context.Context) (<-chan struct{}, error) {
	if dir, ok := m.paths["memory"]; ok {
		src, err := newOOMSourceV1(dir)
		if err != nil {
			return nil, err
		}
		return watchOOM(ctx, src)
	}
	if dir, ok := m.paths[""]; ok && fileExists(dir, "memory.events") {
		src, err := newOOMSourceV2(dir)
		if err != nil {
			return nil, err
		}
		return watchOOM(ctx, src)
	}
	return nil, fmt.Errorf("cgroup: OOM notifications: the container has no memory cgroup")
}

// oomSourceV1 is the v1 memory controller's notification API: an eventfd
// registered in cgroup.event_control against memory.oom_control. The
// kernel signals it each time the cgroup runs out of memory (before the
// OOM killer picks a victim), and once more when the cgroup is removed.
type oomSourceV1 struct {
	dir     string
	eventFd int
	control *os.File // memory.oom_control, kept open while registered
}

func newOOMSourceV1(dir string) (*oomSourceV1, error) {
	control, err := os.Open(filepath.Join(dir, "memory.oom_control"))
	if err != nil {
		return nil, fmt.Errorf("cgroup: OOM notifications: %w", err)
	}
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		control.Close()
		return nil, fmt.Errorf("cgroup: OOM notifications: eventfd: %w", err)
	}
	reg := strconv.Itoa(efd) + " " + strconv.Itoa(int(control.Fd()))
	if err := writeCgroupFile(dir, "cgroup.event_control", reg); err != nil {
		unix.Close(efd)
		control.Close()
		return nil, fmt.Errorf("cgroup: OOM notifications: register in %s: %w",
			filepath.Join(dir, "cgroup.event_control"), bareErr(err))
	}
	return &oomSourceV1{dir: dir, eventFd: efd, control: control}, nil
}

func (s *oomSourceV1) fd() int { return s.eventFd }

// check reads the eventfd counter: one event per notification, unless the
// notification was the cgroup's removal.
func (s *oomSourceV1) check() (uint64, bool) {
	n, err := readEventfd(s.eventFd)
	if err != nil {
		return 0, true
	}
	if !fileExists(s.dir, "cgroup.event_control") {
		return 0, true
	}
	return n, false
}

func (s *oomSourceV1) close() {
	unix.Close(s.eventFd)
	s.control.Close()
}
