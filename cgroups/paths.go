package cgroups

import (
	"fmt"
	"path"
	"strings"
)

// resolvePaths maps every hierarchy of l to the container's directory, with
// runc's fs-driver semantics: an absolute cgroupsPath lies under each
// hierarchy's mount point, a relative one under the caller's own cgroup in
// that hierarchy, and an empty one is <own cgroup>/<id>.
func resolvePaths(l *layout, own map[string]string, cgroupsPath, id string) (map[string]string, error) {
	inner, err := innerPath(cgroupsPath, id)
	if err != nil {
		return nil, err
	}
	paths := map[string]string{}
	for ctrl, h := range hierarchies(l) {
		dir, err := dirIn(h, own, ctrl, inner)
		if err != nil {
			return nil, err
		}
		paths[ctrl] = dir
	}
	return paths, nil
}

// hierarchies lists every hierarchy the container is placed in, keyed like
// State.Paths ("" for cgroup2).
func hierarchies(l *layout) map[string]hierarchy {
	hs := make(map[string]hierarchy, len(l.v1)+1)
	for c, h := range l.v1 {
		hs[c] = h
	}
	if l.unified != nil {
		hs[""] = *l.unified
	}
	return hs
}

// innerPath validates linux.cgroupsPath and picks the path to place.
func innerPath(cgroupsPath, id string) (string, error) {
	inner := cgroupsPath
	field := "linux.cgroupsPath"
	if inner == "" {
		inner, field = id, "container id"
	}
	if inner == "" || inner == "/" {
		return "", fmt.Errorf("cgroup: %s: %q does not name a cgroup", field, inner)
	}
	for _, part := range strings.Split(inner, "/") {
		if part == ".." {
			return "", fmt.Errorf("cgroup: %s: %q: \"..\" components are not allowed", field, inner)
		}
	}
	return inner, nil
}

// dirIn places inner in one hierarchy.
func dirIn(h hierarchy, own map[string]string, ctrl, inner string) (string, error) {
	if path.IsAbs(inner) {
		return path.Join(h.mountpoint, inner), nil
	}
	ownPath, ok := own[ctrl]
	if !ok {
		name := ctrl
		if name == "" {
			name = "cgroup2"
		}
		return "", fmt.Errorf("cgroup: resolve relative path %q: own cgroup for %s not found in /proc/self/cgroup", inner, name)
	}
	return path.Join(h.mountpoint, relativeToMount(ownPath, h.root), inner), nil
}

// relativeToMount turns a hierarchy path into a path below the mount point:
// when only a sub-tree is mounted (containers, bind mounts) its root prefix
// must be cut off.
func relativeToMount(p, root string) string {
	if root == "/" || root == "" {
		return p
	}
	if p == root {
		return "/"
	}
	if strings.HasPrefix(p, root+"/") {
		return strings.TrimPrefix(p, root)
	}
	return p
}
