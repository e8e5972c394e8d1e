package rootfs

import (
	"fmt"

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
