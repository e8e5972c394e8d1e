package rootfs

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// mountAll performs cfg.Mounts in order; later mounts may land inside
// earlier ones (e.g. /dev/pts inside a /dev tmpfs).
func (p *preparer) mountAll() error {
	for i, m := range p.cfg.Mounts {
		if err := p.mountOne(i, m); err != nil {
			return err
		}
	}
	return nil
}

func (p *preparer) mountOne(i int, m *configs.Mount) error {
	var err error
	switch {
	case m.IsBind():
		err = p.mountBind(m)
		if err != nil {
			return fmt.Errorf("mount %s -> %s: %w", m.Source, m.Destination, err)
		}
		return nil
	case m.Device == "proc" || m.Device == "sysfs":
		err = p.mountKernelFS(m)
	case m.Device == "cgroup":
		err = p.mountCgroup(m)
	default:
		err = p.mountGeneric(m)
	}
	if errors.Is(err, errLeafSymlink) {
		return fmt.Errorf("mounts[%d]: %s: %w", i, m.Destination, errLeafSymlink)
	}
	if err != nil {
		return fmt.Errorf("mount %s to %s: %w", m.Device, m.Destination, err)
	}
	return nil
}

// mountBind binds a host path (opened normally: it is the caller's, not the
// container's) onto the destination resolved inside the rootfs.
func (p *preparer) mountBind(m *configs.Mount) error {
	src, err := os.OpenFile(m.Source, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("stat %s: %w", m.Source, unwrapPathErr(err))
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", m.Source, unwrapPathErr(err))
	}
	create := touchLeaf
	if fi.IsDir() {
		create = mkdirLeaf
	}
	t, err := p.resolveTarget(m, resolveOpts{create: create})
	if err != nil {
		return err
	}
	defer t.close()
	if m.IsIDMapped() {
		err = idmappedBind(t, m)
	} else {
		err = bindMount(procFdPath(src), t, m.Flags, m.ClearedFlags)
	}
	if err != nil {
		return err
	}
	return applyPropagationAndAttrs(t, m)
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// bindMount binds src onto t, then remounts it when flags ask for more
// than the bind (ro, nosuid...), which a bind mount ignores on creation.
func bindMount(src string, t *target, flags, cleared int) error {
	if err := unix.Mount(src, t.path(), "", uintptr(unix.MS_BIND|flags&unix.MS_REC), ""); err != nil {
		return fmt.Errorf("bind: %w", err)
	}
	if err := t.refresh(); err != nil {
		return err
	}
	if !needsBindRemount(flags) {
		return nil
	}
	return remount(t.path(), flags|unix.MS_BIND, cleared)
}

// mountKernelFS mounts proc or sysfs. The destination must be a real
// directory: mounting over a symlink could make the kernel mount it
// somewhere else (CVE-2019-16884).
func (p *preparer) mountKernelFS(m *configs.Mount) error {
	t, err := p.resolveTarget(m, resolveOpts{create: mkdirLeaf, refuseSymlink: true})
	if err != nil {
		return err
	}
	defer t.close()
	if fi, err := t.file.Stat(); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s: destination must be a directory", m.Destination)
	}
	if m.Device == "proc" && p.procFs > 0 {
		err = mountProcFs(p.procFs, m.Source, t, m.Flags, m.Data)
		p.procFs = -1 // a filesystem context makes one superblock
	} else {
		err = mountFS(m.Source, t, m.Device, m.Flags, m.Data)
	}
	if errors.Is(err, unix.EPERM) && m.Device == "sysfs" {
		// Only the owner of the network namespace may mount sysfs (a
		// user namespace without its own net namespace): bind the host's
		// /sys with the same flags instead, as runc 1.2+ does.
		err = bindMount("/sys", t, m.Flags|unix.MS_REC, m.ClearedFlags)
	}
	if err != nil {
		return err
	}
	return applyPropagationAndAttrs(t, m)
}

// mountGeneric mounts tmpfs, mqueue, devpts, overlay and any other type.
// A read-only tmpfs is mounted rw first and then remounted, runc-style.
func (p *preparer) mountGeneric(m *configs.Mount) error {
	t, err := p.resolveTarget(m, resolveOpts{create: mkdirLeaf})
	if err != nil {
		return err
	}
	defer t.close()
	flags := m.Flags &^ unix.MS_REMOUNT
	roLater := m.Device == "tmpfs" && flags&unix.MS_RDONLY != 0
	if roLater {
		flags &^= unix.MS_RDONLY
	}
	if err := mountFS(m.Source, t, m.Device, flags, labeledData(m.Device, m.Data, p.cfg.MountLabel)); err != nil {
		return err
	}
	if err := labelMountRoot(t, m.Device, p.cfg.MountLabel); err != nil {
		return err
	}
	if roLater {
		if err := remount(t.path(), flags|unix.MS_RDONLY, 0); err != nil {
			return err
		}
	}
	return applyPropagationAndAttrs(t, m)
}

// mountFS mounts a new filesystem on t and points t at it.
func mountFS(source string, t *target, fstype string, flags int, data string) error {
	flags &^= unix.MS_REMOUNT | propagationFlags
	if err := unix.Mount(source, t.path(), fstype, uintptr(flags), data); err != nil {
		return err
	}
	return t.refresh()
}

// applyPropagationAndAttrs sets the mount's propagation, one flag per
// call as mount(2) requires, then its recursive mount attributes.
func applyPropagationAndAttrs(t *target, m *configs.Mount) error {
	if err := applyPropagation(t, m.PropagationFlags); err != nil {
		return err
	}
	return applyRecAttrs(t, m.RecAttrSet, m.RecAttrClr)
}

func applyPropagation(t *target, flags []int) error {
	for _, f := range flags {
		if err := unix.Mount("", t.path(), "", uintptr(f), ""); err != nil {
			return fmt.Errorf("set propagation %#x: %w", f, err)
		}
	}
	return nil
}

func applyRecAttrs(t *target, set, clr uint64) error {
	if set == 0 && clr == 0 {
		return nil
	}
	attr := &unix.MountAttr{Attr_set: set, Attr_clr: clr}
	err := unix.MountSetattr(int(t.file.Fd()), "", unix.AT_EMPTY_PATH|unix.AT_RECURSIVE, attr)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) {
		return fmt.Errorf("mount_setattr (set %#x, clear %#x): recursive mount attributes not supported here: %w", set, clr, err)
	}
	if err != nil {
		return fmt.Errorf("mount_setattr (set %#x, clear %#x): %w", set, clr, err)
	}
	return nil
}
