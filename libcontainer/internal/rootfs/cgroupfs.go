package rootfs

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// mountCgroup gives the container a cgroup filesystem at m.Destination
// from cfg.CgroupMounts (the parent's view of the host's hierarchies):
// the one cgroup2 hierarchy on a pure v2 host, otherwise a tmpfs with one
// entry per hierarchy.
func (p *preparer) mountCgroup(m *configs.Mount) error {
	hs := p.cfg.CgroupMounts
	if len(hs) == 0 {
		return errors.New("no cgroup hierarchies given (configs.Config.CgroupMounts)")
	}
	t, err := p.resolveTarget(m, resolveOpts{create: mkdirLeaf})
	if err != nil {
		return err
	}
	defer t.close()
	if len(hs) == 1 && hs[0].Dir == "" {
		if err := p.mountHierarchy(t, hs[0], m); err != nil {
			return err
		}
		return applyPropagationAndAttrs(t, m)
	}
	return p.mountCgroupV1(t, hs, m)
}

// mountCgroupV1 builds the v1/hybrid layout: a tmpfs holding a directory
// per hierarchy plus symlinks for co-mounted controllers, made read-only
// last (after the symlinks exist) when the mount asks for ro.
func (p *preparer) mountCgroupV1(t *target, hs []configs.CgroupMount, m *configs.Mount) error {
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

func (p *preparer) mountHierarchies(t *target, hs []configs.CgroupMount, m *configs.Mount) error {
	sub, err := newResolver(procFdPath(t.file))
	if err != nil {
		return err
	}
	defer sub.close()
	for _, h := range hs {
		st, err := sub.resolve(h.Dir, resolveOpts{create: mkdirLeaf})
		if err != nil {
			return err
		}
		err = p.mountHierarchy(st, h, m)
		if err == nil {
			err = applyPropagation(st, m.PropagationFlags)
		}
		st.close()
		if err != nil {
			return fmt.Errorf("%s: %w", h.Dir, err)
		}
	}
	return nil
}

// mountHierarchy mounts one hierarchy on t. In a new cgroup namespace a
// fresh mount shows the container's own cgroup as the root; otherwise the
// container's cgroup directory is bind-mounted from the host.
func (p *preparer) mountHierarchy(t *target, h configs.CgroupMount, m *configs.Mount) error {
	flags := m.Flags &^ (unix.MS_BIND | unix.MS_REC | unix.MS_REMOUNT)
	if p.cfg.NewNamespace(configs.NEWCGROUP) {
		return mountFS("cgroup", t, h.FSType, flags, h.Options)
	}
	return bindMount(h.HostPath, t, flags|unix.MS_BIND|unix.MS_REC, m.ClearedFlags)
}

// comountLinks returns the symlinks (name -> directory) that let each
// controller of a co-mounted hierarchy be found under its own name, e.g.
// "cpu" -> "cpu,cpuacct". A name that is already a directory is left alone.
func comountLinks(hs []configs.CgroupMount) map[string]string {
	dirs := map[string]bool{}
	for _, h := range hs {
		dirs[h.Dir] = true
	}
	links := map[string]string{}
	for _, h := range hs {
		if !strings.Contains(h.Dir, ",") {
			continue
		}
		for _, name := range strings.Split(h.Dir, ",") {
			if name != "" && !dirs[name] {
				links[name] = h.Dir
			}
		}
	}
	return links
}
