package rootfs

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// RestrictPaths runs after Prepare (and after the lead writes
// sysctls/hostname): readonlyPaths then maskedPaths. Paths are container
// paths, resolved inside "/" without following symlinks out of it; missing
// ones are skipped, as runc does. Every mount is made on file descriptors
// (see fdmount.go), never through the container's /proc.
func RestrictPaths(cfg *configs.Config) error {
	res, err := newResolver("/")
	if err != nil {
		return err
	}
	defer res.close()
	for i, p := range cfg.ReadonlyPaths {
		if err := skipMissing(readonlyPath(res, p)); err != nil {
			return fmt.Errorf("linux.readonlyPaths[%d]: %s: %w", i, p, err)
		}
	}
	for i, p := range cfg.MaskPaths {
		if err := skipMissing(maskPath(res, p)); err != nil {
			return fmt.Errorf("linux.maskedPaths[%d]: %s: %w", i, p, err)
		}
	}
	return nil
}

func skipMissing(err error) error {
	if errors.Is(err, unix.ENOENT) {
		return nil
	}
	return err
}

// readonlyPath binds the path onto itself and makes that bind read-only,
// keeping nosuid/nodev/noexec from the mount it lives on.
func readonlyPath(res *resolver, path string) error {
	t, err := res.resolve(path, resolveOpts{})
	if err != nil {
		return err
	}
	defer t.close()
	return readonlyBindFd(int(t.file.Fd()))
}

// maskPath hides a directory under an empty read-only tmpfs and anything
// else under the container's /dev/null.
func maskPath(res *resolver, path string) error {
	t, err := res.resolve(path, resolveOpts{})
	if err != nil {
		return err
	}
	defer t.close()
	fi, err := t.file.Stat()
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return emptyTmpfsFd(int(t.file.Fd()))
	}
	null, err := openDevNull(res)
	if err != nil {
		return err
	}
	defer null.close()
	if err := bindFd(int(null.file.Fd()), int(t.file.Fd())); err != nil {
		return fmt.Errorf("bind /dev/null over it: %w", err)
	}
	return nil
}

// openDevNull opens the container's /dev/null and checks that it really is
// the null device (char 1:3). The container may have replaced it (a shared
// or bind-mounted /dev) with a symlink to, or a copy of, something else:
// binding that over a masked path would expose the file instead of hiding
// it, e.g. a writable /proc/sys/kernel/core_pattern over /proc/kcore
// (CVE-2025-31133). The final component is not followed.
func openDevNull(res *resolver) (*target, error) {
	t, err := res.resolve("/dev/null", resolveOpts{refuseSymlink: true})
	if errors.Is(err, unix.ENOENT) {
		return nil, errors.New("mask needs /dev/null, which the container lacks")
	}
	if errors.Is(err, errLeafSymlink) {
		return nil, errors.New("/dev/null in the container is a symlink, not the null device")
	}
	if err != nil {
		return nil, err
	}
	if err := checkNullDevice(int(t.file.Fd())); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

// checkNullDevice fails unless fd is the character device 1:3.
func checkNullDevice(fd int) error {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return fmt.Errorf("stat /dev/null: %w", err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFCHR || unix.Major(st.Rdev) != 1 || unix.Minor(st.Rdev) != 3 {
		return fmt.Errorf("/dev/null in the container is not the null device (char 1:3), refusing to mask with it")
	}
	return nil
}
