package rootfs

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// The mounts made after pivot_root (masked and read-only paths, the
// console) work on file descriptors only, with the new mount API. A
// "/proc/self/fd/N" path would be resolved through the container's own
// /proc there, which its config or image may have arranged; an fd is the
// exact inode that was resolved and checked.

// bindFd bind-mounts whatever src refers to (a directory, file or device,
// O_PATH is fine) onto the inode dst refers to.
func bindFd(src, dst int) error {
	tree, err := unix.OpenTree(src, "", unix.OPEN_TREE_CLONE|unix.OPEN_TREE_CLOEXEC|unix.AT_EMPTY_PATH)
	if err != nil {
		return fmt.Errorf("open_tree (clone): %w", err)
	}
	defer unix.Close(tree)
	return attachFd(tree, dst)
}

// attachFd attaches the detached mount tree onto dst.
func attachFd(tree, dst int) error {
	flags := unix.MOVE_MOUNT_F_EMPTY_PATH | unix.MOVE_MOUNT_T_EMPTY_PATH
	if err := unix.MoveMount(tree, "", dst, "", flags); err != nil {
		return fmt.Errorf("move_mount: %w", err)
	}
	return nil
}

// readonlyBindFd binds the mount tree at t onto itself and makes the new
// top mount read-only. Setting only MOUNT_ATTR_RDONLY keeps the nosuid,
// nodev and noexec it had, and is allowed even on mounts whose flags the
// kernel locked in a user namespace.
func readonlyBindFd(t int) error {
	tree, err := unix.OpenTree(t, "", unix.OPEN_TREE_CLONE|unix.OPEN_TREE_CLOEXEC|unix.AT_EMPTY_PATH|unix.AT_RECURSIVE)
	if err != nil {
		return fmt.Errorf("open_tree (clone): %w", err)
	}
	defer unix.Close(tree)
	attr := &unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY}
	if err := unix.MountSetattr(tree, "", unix.AT_EMPTY_PATH, attr); err != nil {
		return fmt.Errorf("mount_setattr (read-only): %w", err)
	}
	return attachFd(tree, t)
}

// emptyTmpfsFd mounts a new, empty, read-only tmpfs on the directory dst.
func emptyTmpfsFd(dst int) error {
	fsfd, err := unix.Fsopen("tmpfs", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return fmt.Errorf("fsopen tmpfs: %w", err)
	}
	defer unix.Close(fsfd)
	if err := unix.FsconfigCreate(fsfd); err != nil {
		return fmt.Errorf("create tmpfs: %w", err)
	}
	mnt, err := unix.Fsmount(fsfd, unix.FSMOUNT_CLOEXEC, unix.MOUNT_ATTR_RDONLY)
	if err != nil {
		return fmt.Errorf("fsmount tmpfs: %w", err)
	}
	defer unix.Close(mnt)
	return attachFd(mnt, dst)
}

// procMountAttrs are the mount(2) flags a proc mount made from a
// filesystem context can carry, as mount attributes.
var procMountAttrs = map[int]uint64{
	unix.MS_RDONLY:      unix.MOUNT_ATTR_RDONLY,
	unix.MS_NOSUID:      unix.MOUNT_ATTR_NOSUID,
	unix.MS_NODEV:       unix.MOUNT_ATTR_NODEV,
	unix.MS_NOEXEC:      unix.MOUNT_ATTR_NOEXEC,
	unix.MS_NOATIME:     unix.MOUNT_ATTR_NOATIME,
	unix.MS_NODIRATIME:  unix.MOUNT_ATTR_NODIRATIME,
	unix.MS_STRICTATIME: unix.MOUNT_ATTR_STRICTATIME,
	unix.MS_RELATIME:    unix.MOUNT_ATTR_RELATIME,
}

// ProcFsFlagsOK says whether a proc mount's flags can all be expressed
// as mount attributes (mountProcFs); propagation flags are applied after.
func ProcFsFlagsOK(flags int) bool {
	flags &^= unix.MS_REMOUNT | propagationFlags | unix.MS_SILENT
	for f := range procMountAttrs {
		flags &^= f
	}
	return flags == 0
}

// mountProcFs makes the proc mount on t from fsfd, a proc filesystem
// context the container's pid 1 opened (Options.ProcFs): the source and
// options of
// data (hidepid=2, subset=pid...) go to the context, flags become mount
// attributes.
func mountProcFs(fsfd int, source string, t *target, flags int, data string) error {
	if source != "" {
		if err := unix.FsconfigSetString(fsfd, "source", source); err != nil {
			return fmt.Errorf("proc source %q: %w", source, err)
		}
	}
	for _, opt := range strings.Split(data, ",") {
		var err error
		if key, value, ok := strings.Cut(opt, "="); ok {
			err = unix.FsconfigSetString(fsfd, key, value)
		} else if opt != "" {
			err = unix.FsconfigSetFlag(fsfd, opt)
		}
		if err != nil {
			return fmt.Errorf("proc option %q: %w", opt, err)
		}
	}
	if err := unix.FsconfigCreate(fsfd); err != nil {
		return fmt.Errorf("create proc: %w", err)
	}
	var attrs uint64
	for f, a := range procMountAttrs {
		if flags&f != 0 {
			attrs |= a
		}
	}
	mnt, err := unix.Fsmount(fsfd, unix.FSMOUNT_CLOEXEC, int(attrs))
	if err != nil {
		return fmt.Errorf("fsmount proc: %w", err)
	}
	defer unix.Close(mnt)
	if err := attachFd(mnt, int(t.file.Fd())); err != nil {
		return err
	}
	return t.refresh()
}
