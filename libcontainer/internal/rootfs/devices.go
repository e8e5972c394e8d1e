package rootfs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// devSymlink is one of the standard /dev symlinks.
type devSymlink struct{ name, target string }

// ownsDev reports whether the container gets its own /dev contents; with
// /dev bind-mounted from the host they are the host's business.
func ownsDev(cfg *configs.Config) bool {
	for _, m := range cfg.Mounts {
		if filepath.Clean(m.Destination) == "/dev" && m.IsBind() {
			return false
		}
	}
	return true
}

func hasMountAt(cfg *configs.Config, dest string) bool {
	for _, m := range cfg.Mounts {
		if filepath.Clean(m.Destination) == dest {
			return true
		}
	}
	return false
}

// setupDev creates the configured device nodes and the /dev symlinks.
// The umask is cleared so nodes get exactly the configured mode.
func (p *preparer) setupDev() error {
	old := unix.Umask(0)
	defer unix.Umask(old)
	for i, d := range p.cfg.Devices {
		if err := p.createDevice(d); err != nil {
			return fmt.Errorf("devices[%d]: create %s: %w", i, d.Path, err)
		}
	}
	_, kcoreErr := os.Stat("/proc/kcore")
	links := devSymlinks(kcoreErr == nil, hasMountAt(p.cfg, "/dev/pts"))
	return p.createDevSymlinks(links)
}

// deviceMode is the mknod(2) mode for d: file type bits plus permissions.
func deviceMode(d *configs.Device) (uint32, error) {
	perm := d.FileMode & 0o7777
	switch d.Type {
	case 'c', 'u':
		return unix.S_IFCHR | perm, nil
	case 'b':
		return unix.S_IFBLK | perm, nil
	case 'p':
		return unix.S_IFIFO | perm, nil
	}
	return 0, fmt.Errorf("type %q: not a device type (want c, b or p)", d.Type)
}

// createDevice makes d's node unless something is already there. Without
// the right to mknod (user namespace) the host's node is bind-mounted.
func (p *preparer) createDevice(d *configs.Device) error {
	mode, err := deviceMode(d)
	if err != nil {
		return err
	}
	created := false
	mknod := func(parent int, name string) error {
		dev := int(unix.Mkdev(uint32(d.Major), uint32(d.Minor)))
		err := unix.Mknodat(parent, name, mode, dev)
		created = err == nil
		return err
	}
	t, err := p.res.resolve(d.Path, resolveOpts{create: mknod})
	if errors.Is(err, unix.EPERM) {
		return p.bindDevice(d)
	}
	if err != nil {
		return err
	}
	defer t.close()
	if !created {
		return nil
	}
	if err := unix.Fchownat(int(t.parent.Fd()), t.name, int(d.UID), int(d.GID), unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fmt.Errorf("chown %d:%d: %w", d.UID, d.GID, err)
	}
	return nil
}

// bindDevice bind-mounts the host's node of the same path onto an empty file.
func (p *preparer) bindDevice(d *configs.Device) error {
	src, err := os.OpenFile(d.Path, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("mknod not permitted and no host node to bind: %w", err)
	}
	defer src.Close()
	t, err := p.res.resolve(d.Path, resolveOpts{create: touchLeaf})
	if err != nil {
		return err
	}
	defer t.close()
	return bindMount(procFdPath(src), t, unix.MS_BIND, 0)
}

// devSymlinks lists the standard /dev symlinks; /dev/core only when the
// host has /proc/kcore, /dev/ptmx only with a /dev/pts mount to point into.
func devSymlinks(hasKcore, hasPts bool) []devSymlink {
	links := []devSymlink{
		{"fd", "/proc/self/fd"},
		{"stdin", "/proc/self/fd/0"},
		{"stdout", "/proc/self/fd/1"},
		{"stderr", "/proc/self/fd/2"},
	}
	if hasKcore {
		links = append(links, devSymlink{"core", "/proc/kcore"})
	}
	if hasPts {
		links = append(links, devSymlink{"ptmx", "pts/ptmx"})
	}
	return links
}

func (p *preparer) createDevSymlinks(links []devSymlink) error {
	dev, err := pathrs.MkdirAllHandle(p.res.root, "/dev", 0o755)
	if err != nil {
		return fmt.Errorf("open /dev in rootfs: %w", err)
	}
	defer dev.Close()
	for _, l := range links {
		if l.name == "ptmx" {
			// A ptmx node (e.g. from the image) would bypass the
			// container's devpts instance, so it gives way to the link.
			if err := removeNonSymlink(dev, l.name); err != nil {
				return err
			}
		}
		err := unix.Symlinkat(l.target, int(dev.Fd()), l.name)
		if err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("symlink /dev/%s -> %s: %w", l.name, l.target, err)
		}
	}
	return nil
}

func removeNonSymlink(dir *os.File, name string) error {
	var st unix.Stat_t
	err := unix.Fstatat(int(dir.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW)
	if errors.Is(err, unix.ENOENT) || (err == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK) {
		return nil
	}
	if err == nil {
		err = unix.Unlinkat(int(dir.Fd()), name, 0)
	}
	if err != nil {
		return fmt.Errorf("remove /dev/%s: %w", name, err)
	}
	return nil
}
