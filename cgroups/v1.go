package cgroups

import (
	"fmt"
	"sort"
)

// v1Manager manages a container on a cgroup v1 or hybrid host: one
// directory per controller hierarchy, plus the unified (cgroup2) hierarchy
// under Paths[""] on hybrid hosts, as runc does.
type v1Manager struct {
	base
}

// Apply creates every directory and moves pid into each. A pid <= 0 only
// creates the directories (writing 0 would move the runtime itself).
func (m *v1Manager) Apply(pid int) error {
	for _, dir := range m.uniqueDirs() {
		created, err := mkdirChain(dir)
		m.recordCreated(created)
		if err != nil {
			return err
		}
		if dir == m.paths["cpuset"] {
			if err := inheritCpuset(dir); err != nil {
				return err
			}
		}
		if pid > 0 {
			if err := addPid(dir, pid); err != nil {
				return err
			}
		}
	}
	return nil
}

// Pids lists processes from one hierarchy; the ones containers rarely
// reorganise come first.
func (m *v1Manager) Pids() ([]int, error) {
	for _, c := range []string{"pids", "freezer", "devices", ""} {
		if dir, ok := m.paths[c]; ok {
			return pidsBelow(dir)
		}
	}
	keys := make([]string, 0, len(m.paths))
	for c := range m.paths {
		keys = append(keys, c)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("cgroup: list pids: no cgroup path known")
	}
	sort.Strings(keys)
	return pidsBelow(m.paths[keys[0]])
}

// Freeze uses the v1 freezer, or cgroup.freeze of the unified hierarchy on
// hybrid hosts without a v1 freezer.
func (m *v1Manager) Freeze(frozen bool) error {
	if dir, ok := m.paths["freezer"]; ok {
		return freezeV1(dir, frozen)
	}
	if dir, ok := m.paths[""]; ok {
		return freezeV2(dir, frozen)
	}
	return fmt.Errorf("cgroup: freeze: freezer not available (no v1 freezer hierarchy nor cgroup2 mounted)")
}

// Frozen reads the freezer that Freeze would use.
func (m *v1Manager) Frozen() bool {
	if dir, ok := m.paths["freezer"]; ok {
		state, err := readCgroupFile(dir, "freezer.state")
		return err == nil && state != "THAWED"
	}
	if dir, ok := m.paths[""]; ok {
		return frozenV2(dir)
	}
	return false
}

func (m *v1Manager) Destroy() error { return m.destroy() }

func (m *v1Manager) State() State { return m.state(1) }
