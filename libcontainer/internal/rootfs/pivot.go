package rootfs

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// pivotRoot makes rootfs the root of the mount namespace and detaches the
// old root. pivot_root(".", ".") stacks the old root on top of the new one,
// so no put_old directory is needed inside the rootfs (which may be ro).
func pivotRoot(rootfs string) error {
	oldRoot, err := unix.Open("/", unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("pivot_root: open old root /: %w", err)
	}
	defer unix.Close(oldRoot)
	newRoot, err := unix.Open(rootfs, unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("pivot_root: open new root %s: %w", rootfs, err)
	}
	defer unix.Close(newRoot)
	if err := unix.Fchdir(newRoot); err != nil {
		return fmt.Errorf("pivot_root: chdir to %s: %w", rootfs, err)
	}
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root %s: %w", rootfs, err)
	}
	return detachOldRoot(oldRoot)
}

// detachOldRoot unmounts the old root that pivot_root left on top of ".".
// It is made a slave first so the unmount cannot propagate to the host.
func detachOldRoot(oldRoot int) error {
	if err := unix.Fchdir(oldRoot); err != nil {
		return fmt.Errorf("pivot_root: chdir to old root: %w", err)
	}
	if err := unix.Mount("", ".", "", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("pivot_root: make old root a slave: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("pivot_root: unmount old root: %w", err)
	}
	if err := unix.Chdir("/"); err != nil {
		return fmt.Errorf("pivot_root: chdir to /: %w", err)
	}
	return nil
}

// moveRoot is the --no-pivot path: move the rootfs mount over "/" and
// chroot into it. The host's mounts stay reachable below it, which is why
// pivot_root is the default.
func moveRoot(rootfs string) error {
	if err := unix.Chdir(rootfs); err != nil {
		return fmt.Errorf("chdir to %s: %w", rootfs, err)
	}
	if err := unix.Mount(rootfs, "/", "", unix.MS_MOVE, ""); err != nil {
		return fmt.Errorf("move %s to /: %w", rootfs, err)
	}
	if err := unix.Chroot("."); err != nil {
		return fmt.Errorf("chroot to %s: %w", rootfs, err)
	}
	if err := unix.Chdir("/"); err != nil {
		return fmt.Errorf("chdir to /: %w", err)
	}
	return nil
}
