package rootfs

import (
	"bufio"
	"io"
	"strings"

	"github.com/moby/sys/mountinfo"
)

// parseHierarchies picks, from cgroup mounts in mountinfo order, one mount
// per v1 hierarchy and the first cgroup2 mount. Named hierarchies are
// skipped except name=systemd, which systemd-based images expect.
func parseHierarchies(mounts []*mountinfo.Info, known map[string]bool) []hierarchy {
	var hs []hierarchy
	seen := map[string]bool{}
	for _, m := range mounts {
		h, ok := hierarchyOf(m, known)
		if !ok || seen[h.fstype+":"+h.key()] {
			continue
		}
		seen[h.fstype+":"+h.key()] = true
		hs = append(hs, h)
	}
	return hs
}

func hierarchyOf(m *mountinfo.Info, known map[string]bool) (hierarchy, bool) {
	h := hierarchy{mountpoint: m.Mountpoint, root: m.Root, fstype: m.FSType}
	if m.FSType == "cgroup2" {
		return h, true
	}
	if m.FSType != "cgroup" {
		return h, false
	}
	for _, opt := range strings.Split(m.VFSOptions, ",") {
		switch {
		case known[opt]:
			h.subsystems = append(h.subsystems, opt)
		case strings.HasPrefix(opt, "name="):
			if opt != "name=systemd" {
				return h, false
			}
			h.subsystems = append(h.subsystems, opt)
		}
	}
	return h, len(h.subsystems) > 0
}

// comountLinks returns the symlinks (name -> directory) that let each
// controller of a co-mounted hierarchy be found under its own name, e.g.
// "cpu" -> "cpu,cpuacct". A name that is already a directory is left alone.
func comountLinks(hs []hierarchy) map[string]string {
	dirs := map[string]bool{}
	for _, h := range hs {
		dirs[h.dirName()] = true
	}
	links := map[string]string{}
	for _, h := range hs {
		if !strings.Contains(h.dirName(), ",") {
			continue
		}
		for _, name := range strings.Split(h.dirName(), ",") {
			if name != "" && !dirs[name] {
				links[name] = h.dirName()
			}
		}
	}
	return links
}

// relToMountRoot makes a cgroup path relative to the root the hierarchy
// is mounted from (mountinfo's root field, "/" on an ordinary host).
func relToMountRoot(cg, root string) string {
	if root == "/" || root == "" {
		return cg
	}
	if rest, ok := strings.CutPrefix(cg, root); ok && (rest == "" || rest[0] == '/') {
		return "/" + strings.TrimPrefix(rest, "/")
	}
	return cg
}

// parseKnownControllers reads /proc/cgroups: "name hierarchy num enabled".
func parseKnownControllers(r io.Reader) (map[string]bool, error) {
	known := map[string]bool{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		known[fields[0]] = true
	}
	return known, sc.Err()
}

// parseProcCgroup maps the controller field of each /proc/self/cgroup line
// (normalised with controllerKey; "" for cgroup2) to the cgroup path.
func parseProcCgroup(r io.Reader) (map[string]string, error) {
	paths := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		var names []string
		if parts[1] != "" {
			names = strings.Split(parts[1], ",")
		}
		paths[controllerKey(names)] = parts[2]
	}
	return paths, sc.Err()
}
