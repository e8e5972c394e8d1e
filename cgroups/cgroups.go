// Package cgroups places containers in cgroups and manages them, on cgroup
// v1, v2 and hybrid hosts.
package cgroups

import (
	"context"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Manager manages the cgroup(s) of one container. There are two
// implementations: v1 (one directory per controller hierarchy, plus the
// unified hierarchy on hybrid hosts) and v2 (one unified directory).
type Manager interface {
	// Apply creates the cgroup directories (parents included) if needed and
	// moves pid into them.
	Apply(pid int) error
	// Set writes resource limits. nil means nothing to write.
	Set(r *specs.LinuxResources) error
	// Pids lists every process in the container's cgroup.
	Pids() ([]int, error)
	// Freeze stops (true) or thaws (false) every process in the cgroup.
	Freeze(frozen bool) error
	// Frozen reports whether the cgroup is frozen (a paused container).
	Frozen() bool
	// Destroy removes the directories this container created (leaf first),
	// retrying while the kernel still reports them busy.
	Destroy() error
	// State is what must be saved to manage the cgroup again later.
	State() State
	// Stats reads the cgroup statistics (stats.go).
	Stats() (*Stats, error)
	// NotifyOOM sends one value per OOM event in the memory cgroup. The
	// channel closes when ctx is done (after the events already signalled),
	// when the cgroup is removed or, on v2, when no process is left (oom.go).
	NotifyOOM(ctx context.Context) (<-chan struct{}, error)
}

// State is the persisted form of a Manager (saved in the container state).
type State struct {
	// Version is 1 (v1 or hybrid) or 2 (pure v2).
	Version int `json:"version"`
	// Paths maps a controller name ("memory", "pids", ...; "" for the
	// cgroup2 unified hierarchy) to the container's absolute directory.
	Paths map[string]string `json:"paths"`
	// Created lists the directories this container created, parents
	// before children; Destroy removes them in reverse order.
	Created []string `json:"created,omitempty"`
}

// New returns a manager for a new container. cgroupsPath is
// linux.cgroupsPath: absolute, relative to the calling process's own cgroup,
// or empty for <own cgroup>/<id>. Nothing is created until Apply.
func New(cgroupsPath, id string) (Manager, error) {
	return newManager(cgroupsPath, id)
}

// Load returns the manager of an existing container from its saved state.
func Load(s State) Manager {
	return loadManager(s)
}
