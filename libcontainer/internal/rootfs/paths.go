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
// ones are skipped, as runc does.
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
	if err := unix.Mount(t.path(), t.path(), "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind onto itself: %w", err)
	}
	if err := t.refresh(); err != nil {
		return err
	}
	cur, err := currentFlags(t.path())
	if err != nil {
		return err
	}
	keep := cur & (unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
	return remount(t.path(), keep|unix.MS_BIND|unix.MS_RDONLY|unix.MS_REC, 0)
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
		return unix.Mount("tmpfs", t.path(), "tmpfs", unix.MS_RDONLY, "")
	}
	null, err := openDevNull(res)
	if err != nil {
		return err
	}
	defer null.close()
	if err := unix.Mount(null.path(), t.path(), "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind /dev/null over it: %w", err)
	}
	return nil
}

// openDevNull finds the container's /dev/null; the host's is gone after
// pivot_root, and binding anything else would not mask.
func openDevNull(res *resolver) (*target, error) {
	t, err := res.resolve("/dev/null", resolveOpts{})
	if errors.Is(err, unix.ENOENT) {
		return nil, errors.New("mask needs /dev/null, which the container lacks")
	}
	if err != nil {
		return nil, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(t.file.Fd()), &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFCHR {
		t.close()
		return nil, fmt.Errorf("/dev/null in the container is not a character device")
	}
	return t, nil
}
