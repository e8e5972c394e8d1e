package cgroups

import (
	"fmt"
	"os"
	"path"
	"strings"
)

// ParseSubCgroups reads `exec --cgroup` arguments, each "[CONTROLLERS:]PATH"
// (CONTROLLERS a comma-separated list such as "memory,pids"), into a map
// from controller to a path relative to the container's cgroup; the key ""
// stands for every controller not named elsewhere.
func ParseSubCgroups(args []string) (map[string]string, error) {
	sub := make(map[string]string, len(args))
	for _, arg := range args {
		ctrls, p := "", arg
		if i := strings.LastIndexByte(arg, ':'); i >= 0 {
			ctrls, p = arg[:i], arg[i+1:]
		}
		if err := checkSubPath(p); err != nil {
			return nil, fmt.Errorf("%q: %w", arg, err)
		}
		for _, c := range strings.Split(ctrls, ",") {
			if _, dup := sub[c]; dup {
				return nil, fmt.Errorf("%q: controller %q given twice", arg, c)
			}
			sub[c] = p
		}
	}
	return sub, nil
}

// checkSubPath keeps a sub-cgroup inside the container's cgroup.
func checkSubPath(p string) error {
	if p == "" || path.IsAbs(p) {
		return fmt.Errorf("the sub-cgroup must be a relative path")
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return fmt.Errorf("\"..\" components are not allowed")
		}
	}
	return nil
}

// Sub is the state of an existing sub-cgroup of s, for placing an exec'd
// process there. The directories must exist (they belong to whoever made
// them, so the result records none as created). On cgroup v2 only one
// path for every controller is meaningful.
func (s State) Sub(sub map[string]string) (State, error) {
	if s.Version == 2 && (len(sub) != 1 || sub[""] == "") {
		return State{}, fmt.Errorf("cgroup v2 has one hierarchy: give one path without controllers")
	}
	out := State{Version: s.Version, Paths: make(map[string]string, len(s.Paths))}
	for ctrl, dir := range s.Paths {
		p, ok := sub[ctrl]
		if !ok {
			p = sub[""]
		}
		out.Paths[ctrl] = dir
		if p == "" {
			continue
		}
		out.Paths[ctrl] = path.Join(dir, p)
		if fi, err := os.Stat(out.Paths[ctrl]); err != nil || !fi.IsDir() {
			return State{}, fmt.Errorf("sub-cgroup %s: not an existing cgroup directory", out.Paths[ctrl])
		}
	}
	for ctrl := range sub {
		if _, ok := s.Paths[ctrl]; !ok && ctrl != "" {
			return State{}, fmt.Errorf("controller %q: not a hierarchy of this container", ctrl)
		}
	}
	return out, nil
}
