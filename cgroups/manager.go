package cgroups

import (
	"sort"
)

// newManager resolves the container's directories on this host's layout.
func newManager(cgroupsPath, id string) (Manager, error) {
	l, err := detectLayout()
	if err != nil {
		return nil, err
	}
	own, err := readOwnCgroups()
	if err != nil {
		return nil, err
	}
	paths, err := resolvePaths(l, own, cgroupsPath, id)
	if err != nil {
		return nil, err
	}
	return managerFor(State{Version: l.version(), Paths: paths}), nil
}

// loadManager rebuilds a manager from saved state; it touches nothing.
func loadManager(s State) Manager {
	return managerFor(s)
}

// managerFor picks the implementation for s.Version (anything but 2 is v1,
// which also covers hybrid hosts).
func managerFor(s State) Manager {
	b := base{paths: copyPaths(s.Paths), created: append([]string(nil), s.Created...)}
	if s.Version == 2 {
		return &v2Manager{base: b}
	}
	return &v1Manager{base: b}
}

// base is what both implementations share: the directories and the record
// of which ones this container created.
type base struct {
	paths   map[string]string
	created []string
}

func (b *base) state(version int) State {
	return State{
		Version: version,
		Paths:   copyPaths(b.paths),
		Created: append([]string(nil), b.created...),
	}
}

// recordCreated appends newly made directories, keeping parents first and
// never listing one twice (Apply may run more than once).
func (b *base) recordCreated(dirs []string) {
	for _, d := range dirs {
		if !contains(b.created, d) {
			b.created = append(b.created, d)
		}
	}
}

// uniqueDirs lists each directory once (co-mounted controllers share one),
// in a stable order.
func (b *base) uniqueDirs() []string {
	var dirs []string
	for _, d := range b.paths {
		if !contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	sort.Strings(dirs)
	return dirs
}

// destroy removes what this container created and forgets what is gone so
// a later call cannot remove a directory someone else made meanwhile.
func (b *base) destroy() error {
	remaining, err := removeCreated(b.created, b.uniqueDirs())
	b.created = remaining
	return err
}

func copyPaths(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
