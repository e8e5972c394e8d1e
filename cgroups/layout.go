package cgroups

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/moby/sys/mountinfo"
)

// Where cgroup filesystems live on the layouts ocirun supports.
const (
	cgroupRoot    = "/sys/fs/cgroup"
	hybridUnified = "/sys/fs/cgroup/unified"
)

// layoutMode says which cgroup versions the host uses.
type layoutMode int

const (
	modeV1     layoutMode = iota + 1 // v1 controllers only
	modeHybrid                       // v1 controllers + cgroup2 at /sys/fs/cgroup/unified
	modeV2                           // cgroup2 at /sys/fs/cgroup
)

func (m layoutMode) String() string {
	switch m {
	case modeV1:
		return "v1"
	case modeHybrid:
		return "hybrid"
	case modeV2:
		return "v2"
	}
	return "unknown"
}

// hierarchy is one mounted cgroup hierarchy. root is the directory of the
// hierarchy that is mounted (mountinfo field 4): paths read from
// /proc/self/cgroup are relative to the hierarchy, not to the mount.
type hierarchy struct {
	mountpoint string
	root       string
}

// layout is the host's cgroup mount layout.
type layout struct {
	mode layoutMode
	// v1 maps each v1 controller to its hierarchy; co-mounted controllers
	// (cpu,cpuacct) share one.
	v1 map[string]hierarchy
	// unified is the cgroup2 hierarchy used (nil on pure v1 hosts).
	unified *hierarchy
}

// version is State.Version for containers on this layout.
func (l *layout) version() int {
	if l.mode == modeV2 {
		return 2
	}
	return 1
}

// hostLayout caches detection: the mount layout does not change while a
// runtime process lives, and every New would otherwise re-read mountinfo.
var hostLayout struct {
	once sync.Once
	l    *layout
	err  error
}

// detectLayout returns the host's cgroup layout, read once per process.
func detectLayout() (*layout, error) {
	hostLayout.once.Do(func() {
		f, err := os.Open("/proc/self/mountinfo")
		if err != nil {
			hostLayout.err = fmt.Errorf("cgroup: detect layout: %w", err)
			return
		}
		defer f.Close()
		hostLayout.l, hostLayout.err = parseLayout(f)
	})
	return hostLayout.l, hostLayout.err
}

// parseLayout reads mountinfo text and classifies the cgroup layout.
func parseLayout(r io.Reader) (*layout, error) {
	mounts, err := mountinfo.GetMountsFromReader(r, mountinfo.FSTypeFilter("cgroup", "cgroup2"))
	if err != nil {
		return nil, fmt.Errorf("cgroup: parse mountinfo: %w", err)
	}
	l := &layout{v1: map[string]hierarchy{}}
	var unified *hierarchy
	for _, m := range mounts {
		h := hierarchy{mountpoint: m.Mountpoint, root: m.Root}
		if m.FSType == "cgroup2" {
			if unified == nil && (m.Mountpoint == cgroupRoot || m.Mountpoint == hybridUnified) {
				unified = &h
			}
			continue
		}
		for _, c := range v1Controllers(m.VFSOptions) {
			if _, seen := l.v1[c]; !seen { // first mount wins, later ones are usually binds
				l.v1[c] = h
			}
		}
	}
	return classify(l, unified)
}

// classify sets the mode from what was found.
func classify(l *layout, unified *hierarchy) (*layout, error) {
	switch {
	case unified != nil && unified.mountpoint == cgroupRoot:
		l.mode, l.unified, l.v1 = modeV2, unified, map[string]hierarchy{}
	case len(l.v1) > 0 && unified != nil:
		l.mode, l.unified = modeHybrid, unified
	case len(l.v1) > 0:
		l.mode = modeV1
	default:
		return nil, fmt.Errorf("cgroup: detect layout: no cgroup v1 controller or cgroup2 mounted at %s", cgroupRoot)
	}
	return l, nil
}

// systemdHierarchy is the named v1 hierarchy containers are placed in.
const systemdHierarchy = "name=systemd"

// nonControllerOptions are cgroup v1 super options that are not controller
// names (see the kernel's cgroup1_show_options).
var nonControllerOptions = map[string]bool{
	"rw": true, "ro": true, "none": true, "all": true, "noprefix": true,
	"clone_children": true, "xattr": true, "cpuset_v2_mode": true,
	"favordynmods": true, "nofavordynmods": true,
}

// v1Controllers extracts controller names from a v1 mount's super options.
// Of the named hierarchies only name=systemd is kept: runc joins it too,
// and tools reading /proc/<pid>/cgroup expect the container there.
func v1Controllers(superOptions string) []string {
	var out []string
	for _, opt := range strings.Split(superOptions, ",") {
		if opt == systemdHierarchy {
			out = append(out, opt)
			continue
		}
		if opt == "" || nonControllerOptions[opt] || strings.Contains(opt, "=") {
			continue
		}
		out = append(out, opt)
	}
	return out
}

// readOwnCgroups returns the calling process's cgroup per controller.
func readOwnCgroups() (map[string]string, error) {
	f, err := os.Open("/proc/self/cgroup")
	if err != nil {
		return nil, fmt.Errorf("cgroup: read own cgroups: %w", err)
	}
	defer f.Close()
	return parseOwnCgroups(f)
}

// parseOwnCgroups parses /proc/<pid>/cgroup text ("id:controllers:path")
// into controller -> path; the cgroup2 line ("0::/path") is keyed "".
// Named hierarchies are keyed by their "name=..." entry.
func parseOwnCgroups(r io.Reader) (map[string]string, error) {
	own := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("cgroup: parse /proc/self/cgroup line %q: want id:controllers:path", line)
		}
		if parts[1] == "" {
			own[""] = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			own[c] = parts[2]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("cgroup: parse /proc/self/cgroup: %w", err)
	}
	return own, nil
}
