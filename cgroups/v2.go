package cgroups

import (
	"fmt"
	"path/filepath"
	"strings"
)

// v2Manager manages a container on a pure cgroup v2 host: one directory in
// the unified hierarchy, Paths[""]. Apply only creates and joins; Set is
// what enables the controllers a limit needs in the ancestors'
// cgroup.subtree_control, since a cgroup has no pids.max or memory.max
// until its parent delegates the controller.
type v2Manager struct {
	base
}

func (m *v2Manager) dir() (string, error) {
	dir, ok := m.paths[""]
	if !ok {
		return "", fmt.Errorf("cgroup: state has no unified (cgroup2) path")
	}
	return dir, nil
}

// Apply creates the directory and moves pid into it. A pid <= 0 only
// creates it (writing 0 would move the runtime itself).
func (m *v2Manager) Apply(pid int) error {
	dir, err := m.dir()
	if err != nil {
		return err
	}
	created, err := mkdirChain(dir)
	m.recordCreated(created)
	if err != nil {
		return err
	}
	if pid > 0 {
		return addPid(dir, pid)
	}
	return nil
}

// enableController delegates ctrl down to dir: every ancestor from the
// hierarchy root to dir's parent gets "+ctrl" in cgroup.subtree_control
// unless it is already there.
func enableController(root, dir, ctrl string) error {
	for _, d := range ancestorsBelow(root, dir) {
		enabled, err := readCgroupFile(d, "cgroup.subtree_control")
		if err != nil {
			return fmt.Errorf("enable %s controller: %w", ctrl, err)
		}
		if contains(strings.Fields(enabled), ctrl) {
			continue
		}
		if err := cgroupWrite(d, "cgroup.subtree_control", "+"+ctrl); err != nil {
			return enableErr(d, ctrl, err)
		}
	}
	return nil
}

// enableErr explains a refused delegation; the usual cause is a
// controller the hierarchy does not offer (absent from cgroup.controllers).
func enableErr(dir, ctrl string, err error) error {
	if avail, rerr := readCgroupFile(dir, "cgroup.controllers"); rerr == nil && !contains(strings.Fields(avail), ctrl) {
		return fmt.Errorf("%s controller not available in %s (cgroup.controllers: %q)", ctrl, dir, avail)
	}
	return fmt.Errorf("enable %s controller in %s: %w", ctrl, filepath.Join(dir, "cgroup.subtree_control"), bareErr(err))
}

// ancestorsBelow lists root and the directories between it and dir
// (dir excluded), top first. Empty when dir is not below root.
func ancestorsBelow(root, dir string) []string {
	root, dir = filepath.Clean(root), filepath.Clean(dir)
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return nil
	}
	out := []string{root}
	parts := strings.Split(rel, string(filepath.Separator))
	for i := 1; i < len(parts); i++ {
		out = append(out, filepath.Join(root, filepath.Join(parts[:i]...)))
	}
	return out
}

// Pids lists every process in the cgroup and its sub-cgroups.
func (m *v2Manager) Pids() ([]int, error) {
	dir, err := m.dir()
	if err != nil {
		return nil, err
	}
	return pidsBelow(dir)
}

// Freeze writes cgroup.freeze and waits for the kernel to confirm.
func (m *v2Manager) Freeze(frozen bool) error {
	dir, err := m.dir()
	if err != nil {
		return err
	}
	return freezeV2(dir, frozen)
}

// Frozen reads cgroup.freeze.
func (m *v2Manager) Frozen() bool {
	dir, err := m.dir()
	return err == nil && frozenV2(dir)
}

func (m *v2Manager) Destroy() error { return m.destroy() }

func (m *v2Manager) State() State { return m.state(2) }
