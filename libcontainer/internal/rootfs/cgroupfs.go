package rootfs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/moby/sys/mountinfo"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// hostCgroupRoot is where the host mounts its cgroup hierarchies.
const hostCgroupRoot = "/sys/fs/cgroup"

// hierarchy is one host cgroup hierarchy to show in the container.
type hierarchy struct {
	mountpoint string
	root       string   // the mount's root inside the hierarchy
	fstype     string   // "cgroup" (v1) or "cgroup2"
	subsystems []string // v1 controllers and/or "name=..."; empty for cgroup2
}

// dirName is the directory the hierarchy gets in the container's cgroup
// tmpfs: the host's name for it ("cpu,cpuacct", "systemd", "unified").
func (h hierarchy) dirName() string { return filepath.Base(h.mountpoint) }

// key identifies the hierarchy like the controller field of /proc/self/cgroup.
func (h hierarchy) key() string { return controllerKey(h.subsystems) }

func controllerKey(names []string) string {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	return strings.Join(sorted, ",")
}

// mountCgroup gives the container a cgroup filesystem at m.Destination:
// cgroup2 on a pure v2 host, otherwise a tmpfs with one entry per hierarchy.
func (p *preparer) mountCgroup(m *configs.Mount) error {
	t, err := p.res.resolve(m.Destination, resolveOpts{create: mkdirLeaf})
	if err != nil {
		return err
	}
	defer t.close()
	v2, err := isPureCgroup2()
	if err != nil {
		return err
	}
	if v2 {
		h := hierarchy{mountpoint: hostCgroupRoot, root: "/", fstype: "cgroup2"}
		if err := p.mountHierarchy(t, h, m); err != nil {
			return err
		}
		return applyPropagationAndAttrs(t, m)
	}
	return p.mountCgroupV1(t, m)
}

func isPureCgroup2() (bool, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(hostCgroupRoot, &st); err != nil {
		return false, fmt.Errorf("statfs %s: %w", hostCgroupRoot, err)
	}
	return st.Type == unix.CGROUP2_SUPER_MAGIC, nil
}

// mountCgroupV1 builds the v1/hybrid layout: a tmpfs holding a directory
// per hierarchy plus symlinks for co-mounted controllers, made read-only
// last (after the symlinks exist) when the mount asks for ro.
func (p *preparer) mountCgroupV1(t *target, m *configs.Mount) error {
	hs, err := hostHierarchies()
	if err != nil {
		return err
	}
	const tmpfsFlags = unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC
	if err := mountFS("tmpfs", t, "tmpfs", tmpfsFlags, "mode=755"); err != nil {
		return err
	}
	if err := applyPropagation(t, m.PropagationFlags); err != nil {
		return err
	}
	if err := p.mountHierarchies(t, hs, m); err != nil {
		return err
	}
	for link, dir := range comountLinks(hs) {
		if err := unix.Symlinkat(dir, int(t.file.Fd()), link); err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("symlink %s -> %s: %w", link, dir, err)
		}
	}
	if m.Flags&unix.MS_RDONLY != 0 {
		if err := remount(t.path(), tmpfsFlags|unix.MS_RDONLY, 0); err != nil {
			return err
		}
	}
	return applyRecAttrs(t, m.RecAttrSet, m.RecAttrClr)
}

func (p *preparer) mountHierarchies(t *target, hs []hierarchy, m *configs.Mount) error {
	sub, err := newResolver(procFdPath(t.file))
	if err != nil {
		return err
	}
	defer sub.close()
	for _, h := range hs {
		st, err := sub.resolve(h.dirName(), resolveOpts{create: mkdirLeaf})
		if err != nil {
			return err
		}
		err = p.mountHierarchy(st, h, m)
		if err == nil {
			err = applyPropagation(st, m.PropagationFlags)
		}
		st.close()
		if err != nil {
			return fmt.Errorf("%s: %w", h.dirName(), err)
		}
	}
	return nil
}

// mountHierarchy mounts one hierarchy on t. In a new cgroup namespace a
// fresh mount shows the container's own cgroup as the root; otherwise the
// container's cgroup directory is bind-mounted from the host.
func (p *preparer) mountHierarchy(t *target, h hierarchy, m *configs.Mount) error {
	flags := m.Flags &^ (unix.MS_BIND | unix.MS_REC | unix.MS_REMOUNT)
	if p.cfg.NewNamespace(configs.NEWCGROUP) {
		return mountFS("cgroup", t, h.fstype, flags, strings.Join(h.subsystems, ","))
	}
	src, err := p.hostCgroupDir(h)
	if err != nil {
		return err
	}
	return bindMount(src, t, flags|unix.MS_BIND|unix.MS_REC, m.ClearedFlags)
}

// hostCgroupDir is the host directory of this process's cgroup in h; the
// init has already been placed in the container's cgroups.
func (p *preparer) hostCgroupDir(h hierarchy) (string, error) {
	f, err := os.Open("/proc/self/cgroup")
	if err != nil {
		return "", err
	}
	defer f.Close()
	paths, err := parseProcCgroup(f)
	if err != nil {
		return "", fmt.Errorf("read /proc/self/cgroup: %w", err)
	}
	cg, ok := paths[h.key()]
	if !ok {
		return "", fmt.Errorf("/proc/self/cgroup has no entry for hierarchy %q", h.key())
	}
	return filepath.Join(h.mountpoint, relToMountRoot(cg, h.root)), nil
}

func hostHierarchies() ([]hierarchy, error) {
	known, err := readKnownControllers()
	if err != nil {
		return nil, err
	}
	mounts, err := mountinfo.GetMounts(mountinfo.FSTypeFilter("cgroup", "cgroup2"))
	if err != nil {
		return nil, fmt.Errorf("read mountinfo: %w", err)
	}
	return parseHierarchies(mounts, known), nil
}

func readKnownControllers() (map[string]bool, error) {
	f, err := os.Open("/proc/cgroups")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	known, err := parseKnownControllers(f)
	if err != nil {
		return nil, fmt.Errorf("read /proc/cgroups: %w", err)
	}
	return known, nil
}
