package cgroups

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
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

// Set writes the limits this version supports: linux.resources.pids.limit
// and linux.resources.memory.limit. Other fields are left untouched for now.
func (m *v2Manager) Set(r *specs.LinuxResources) error {
	if r == nil {
		return nil
	}
	dir, err := m.dir()
	if err != nil {
		return err
	}
	if r.Pids != nil && r.Pids.Limit != nil && *r.Pids.Limit != 0 {
		if err := setV2(dir, "pids", "linux.resources.pids.limit", "pids.max", pidsValue(*r.Pids.Limit)); err != nil {
			return err
		}
	}
	if r.Memory != nil && r.Memory.Limit != nil && *r.Memory.Limit != 0 {
		if err := setV2(dir, "memory", "linux.resources.memory.limit", "memory.max", memoryMaxValue(*r.Memory.Limit)); err != nil {
			return err
		}
	}
	return nil
}

// memoryMaxValue renders a memory limit for memory.max; -1 is unlimited.
func memoryMaxValue(limit int64) string {
	if limit < 0 {
		return "max"
	}
	return strconv.FormatInt(limit, 10)
}

func setV2(dir, ctrl, field, file, value string) error {
	if err := enableController(cgroupRoot, dir, ctrl); err != nil {
		return fmt.Errorf("cgroup: %s: %w", field, err)
	}
	return writeLimit(field, dir, file, value)
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
		if err := writeCgroupFile(d, "cgroup.subtree_control", "+"+ctrl); err != nil {
			return fmt.Errorf("enable %s controller in %s: %w", ctrl, filepath.Join(d, "cgroup.subtree_control"), bareErr(err))
		}
	}
	return nil
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

func (m *v2Manager) Destroy() error { return m.destroy() }

func (m *v2Manager) State() State { return m.state(2) }
