package rootfs

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// errIDMapUnsupported is returned when the kernel or the source's
// filesystem cannot idmap a mount.
var errIDMapUnsupported = errors.New("idmapped mounts are not supported by this kernel or filesystem")

// idmappedBind clones the source tree (recursively for rbind), idmaps it
// with the user namespace the parent made for this mount (every mount of
// the tree for ridmap, the top one for idmap), and attaches it onto t. The
// clone is detached until then, which mount_setattr(MOUNT_ATTR_IDMAP)
// requires.
func idmappedBind(src *os.File, t *target, m *configs.Mount) error {
	cloneFlags := unix.OPEN_TREE_CLONE | unix.OPEN_TREE_CLOEXEC | unix.AT_EMPTY_PATH
	if m.Flags&unix.MS_REC != 0 {
		cloneFlags |= unix.AT_RECURSIVE
	}
	tree, err := unix.OpenTree(int(src.Fd()), "", uint(cloneFlags))
	if errors.Is(err, unix.ENOSYS) {
		return errIDMapUnsupported
	}
	if err != nil {
		return fmt.Errorf("open_tree (clone) %s: %w", m.Source, err)
	}
	defer unix.Close(tree)
	if err := setIDMap(tree, m); err != nil {
		return err
	}
	if err := attachFd(tree, int(t.file.Fd())); err != nil {
		return err
	}
	if err := t.refresh(); err != nil {
		return err
	}
	if !needsBindRemount(m.Flags) {
		return nil
	}
	return remount(t.path(), m.Flags|unix.MS_BIND, m.ClearedFlags)
}

// setIDMap gives the detached tree the user namespace at m.IDMapUserns.
func setIDMap(tree int, m *configs.Mount) error {
	if m.IDMapUserns == "" {
		return errors.New("idmapped mount without a user namespace from the parent")
	}
	userns, err := os.Open(m.IDMapUserns)
	if err != nil {
		return fmt.Errorf("open user namespace: %w", err)
	}
	defer userns.Close()
	flags := unix.AT_EMPTY_PATH
	if m.IDMapRecursive {
		flags |= unix.AT_RECURSIVE
	}
	attr := &unix.MountAttr{Attr_set: unix.MOUNT_ATTR_IDMAP, Userns_fd: uint64(userns.Fd())}
	err = unix.MountSetattr(tree, "", uint(flags), attr)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return fmt.Errorf("%w (mount_setattr: %v)", errIDMapUnsupported, err)
	}
	if err != nil {
		return fmt.Errorf("mount_setattr (idmap): %w", err)
	}
	return nil
}
