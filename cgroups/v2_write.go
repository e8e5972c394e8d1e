package cgroups

import (
	"path/filepath"
	"strings"
)

// unifiedCgroup is a cgroup in a cgroup2 hierarchy mounted at root (the
// whole /sys/fs/cgroup on v2 hosts, /sys/fs/cgroup/unified on hybrid ones).
// Its writes first delegate the file's controller down from root: a
// cgroup has no memory.max until every ancestor lists memory in its
// cgroup.subtree_control.
type unifiedCgroup struct {
	root, dir string
	enabled   map[string]bool
}

func newUnifiedCgroup(dir string) *unifiedCgroup {
	root := cgroupRoot
	if strings.HasPrefix(filepath.Clean(dir), hybridUnified+"/") {
		root = hybridUnified
	}
	return &unifiedCgroup{root: root, dir: dir, enabled: map[string]bool{}}
}

// write writes value to file for linux.resources.<field>.
func (u *unifiedCgroup) write(field, file, value string) error {
	if err := u.enable(controllerOf(file)); err != nil {
		return fieldErrorf(field, "%w", err)
	}
	return writeField(field, u.dir, file, value)
}

// enable delegates ctrl once per Set; "" and the core "cgroup" files need
// no controller.
func (u *unifiedCgroup) enable(ctrl string) error {
	if ctrl == "" || ctrl == "cgroup" || u.enabled[ctrl] {
		return nil
	}
	if err := enableController(u.root, u.dir, ctrl); err != nil {
		return err
	}
	u.enabled[ctrl] = true
	return nil
}

// controllerOf is the controller a v2 file belongs to: the part before
// the first dot ("memory.swap.max" -> "memory").
func controllerOf(file string) string {
	ctrl, _, ok := strings.Cut(file, ".")
	if !ok {
		return ""
	}
	return ctrl
}
