package rootfs

import (
	"errors"
	"fmt"
)

// MountConsole bind-mounts the pty slave over /dev/console, as runc does,
// once the process is in its new root. The source is the slave's fd (from
// TIOCGPTPEER), never /dev/pts/N by name, and the target is resolved
// without following a final symlink: a container that made either path a
// symlink (e.g. to /proc/sys/kernel/core_pattern) would otherwise get that
// file bound at /dev/console, writable (CVE-2025-52565).
func MountConsole(slave int) error {
	res, err := newResolver("/")
	if err != nil {
		return fmt.Errorf("process.terminal: %w", err)
	}
	defer res.close()
	t, err := res.resolve("/dev/console", resolveOpts{create: touchLeaf, refuseSymlink: true})
	if errors.Is(err, errLeafSymlink) {
		return errors.New("process.terminal: /dev/console in the container is a symlink, refusing to mount the terminal there")
	}
	if err != nil {
		return fmt.Errorf("process.terminal: %w", err)
	}
	defer t.close()
	if fi, err := t.file.Stat(); err != nil || fi.IsDir() {
		return errors.New("process.terminal: /dev/console in the container is a directory")
	}
	if err := bindFd(slave, int(t.file.Fd())); err != nil {
		return fmt.Errorf("process.terminal: mount the terminal on /dev/console: %w", err)
	}
	return nil
}
