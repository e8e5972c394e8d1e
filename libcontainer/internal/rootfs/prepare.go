// Package rootfs builds a container's root filesystem from inside the
// container's init process: it runs in the new mount namespace, before
// pivot_root, while the host's /proc is still mounted at /proc.
package rootfs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"github.com/moby/sys/mountinfo"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// preparer carries the state of one Prepare call.
type preparer struct {
	cfg    *configs.Config
	res    *resolver // rooted at the rootfs bind mount
	procFs int       // Options.ProcFs, -1 once used
}

// Options are the parts of Prepare that depend on who calls it.
type Options struct {
	// Cwd is the process's cwd, created if missing.
	Cwd string
	// BeforePivot, if not nil, runs once the mounts are done, just before
	// pivot_root (the hooks' moment).
	BeforePivot func() error
	// ProcFs, when > 0, is a proc filesystem context (fsopen) for the one
	// proc mount. A procfs shows the pid namespace of whoever opened the
	// context: the container's pid 1 opens it when the rootfs is built by
	// a thread of the parent, which is outside that namespace.
	ProcFs int
}

// Prepare builds the rootfs and switches into it: root propagation, rootfs
// bind, every mount in order, /dev contents, then pivot_root (or MS_MOVE +
// chroot with NoPivotRoot), ending with cwd "/" and root readonly if
// Readonlyfs. The process's cwd is created if missing (as runc does), before
// the root becomes read-only. It may run in the init itself or in a thread
// that has joined the init's mount namespace (all it reads of /proc is the
// calling thread's).
func Prepare(cfg *configs.Config, opts Options) error {
	if cfg == nil || cfg.Rootfs == "" {
		return errors.New("rootfs: config has no rootfs path")
	}
	cwd, beforePivot := opts.Cwd, opts.BeforePivot
	if err := setRootPropagation(cfg.RootPropagation); err != nil {
		return err
	}
	if err := makeParentMountPrivate(cfg.Rootfs); err != nil {
		return err
	}
	if err := unix.Mount(cfg.Rootfs, cfg.Rootfs, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind rootfs %s onto itself: %w", cfg.Rootfs, err)
	}
	if err := populate(cfg, opts.ProcFs); err != nil {
		return err
	}
	if beforePivot != nil {
		if err := beforePivot(); err != nil {
			return err
		}
	}
	if err := switchRoot(cfg); err != nil {
		return err
	}
	if err := makeCwd(cwd); err != nil {
		return err
	}
	if cfg.Readonlyfs {
		if err := remount("/", unix.MS_BIND|unix.MS_RDONLY, 0); err != nil {
			return fmt.Errorf("root.readonly: make / read-only: %w", err)
		}
	}
	return nil
}

// populate does the mounts and /dev inside the rootfs bind mount. The root
// handle is opened only now, so it refers to the bind mount itself.
func populate(cfg *configs.Config, procFs int) error {
	res, err := newResolver(cfg.Rootfs)
	if err != nil {
		return err
	}
	defer res.close()
	p := &preparer{cfg: cfg, res: res, procFs: procFs}
	if err := p.mountAll(); err != nil {
		return err
	}
	if ownsDev(cfg) {
		return p.setupDev()
	}
	return nil
}

// makeCwd creates the process's cwd inside the new root. The path is
// resolved by pathrs-lite, scoped to "/": even after pivot_root a plain
// MkdirAll would follow a magic link such as /proc/self/fd/N to a host
// directory the init still holds and create directories there
// (CVE-2024-21626).
func makeCwd(cwd string) error {
	root, err := os.OpenFile("/", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("process.cwd: open /: %w", err)
	}
	defer root.Close()
	dir, err := pathrs.MkdirAllHandle(root, cwd, 0o755)
	if err != nil {
		return fmt.Errorf("process.cwd: create %s: %w", cwd, err)
	}
	return dir.Close()
}

func switchRoot(cfg *configs.Config) error {
	if cfg.NoPivotRoot {
		return moveRoot(cfg.Rootfs)
	}
	return pivotRoot(cfg.Rootfs)
}

// setRootPropagation applies linux.rootfsPropagation to the whole tree;
// the default (slave) lets host mounts reach us but not ours the host.
func setRootPropagation(flags int) error {
	if flags == 0 {
		flags = unix.MS_SLAVE | unix.MS_REC
	}
	if err := unix.Mount("", "/", "", uintptr(flags), ""); err != nil {
		return fmt.Errorf("linux.rootfsPropagation: set propagation %#x on /: %w", flags, err)
	}
	return nil
}

// makeParentMountPrivate makes the mount holding the rootfs private when it
// is shared: pivot_root refuses a new root whose parent mount is shared,
// and the rootfs bind mount would otherwise propagate out.
func makeParentMountPrivate(rootfs string) error {
	// mountinfo lists resolved paths, so compare against one.
	resolved, err := filepath.EvalSymlinks(rootfs)
	if err != nil {
		return fmt.Errorf("resolve rootfs %s: %w", rootfs, err)
	}
	mounts, err := threadMounts(mountinfo.ParentsFilter(resolved))
	if err != nil {
		return fmt.Errorf("read mountinfo for %s: %w", rootfs, err)
	}
	parent := closestMount(mounts)
	if parent == nil || !strings.Contains(parent.Optional, "shared:") {
		return nil
	}
	if err := unix.Mount("", parent.Mountpoint, "", unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make %s (parent mount of rootfs) private: %w", parent.Mountpoint, err)
	}
	return nil
}

// closestMount returns the mount with the longest mount point, i.e. the one
// a path is on when mounts are all its parents. Later entries win ties:
// they are stacked on top.
func closestMount(mounts []*mountinfo.Info) *mountinfo.Info {
	var best *mountinfo.Info
	for _, m := range mounts {
		if best == nil || len(m.Mountpoint) >= len(best.Mountpoint) {
			best = m
		}
	}
	return best
}

// threadMounts reads the mount table of the calling thread's mount
// namespace: /proc/self/mountinfo would show the thread group leader's,
// which is not the container's when a thread of the parent builds it.
func threadMounts(filter mountinfo.FilterFunc) ([]*mountinfo.Info, error) {
	f, err := os.Open("/proc/thread-self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return mountinfo.GetMountsFromReader(f, filter)
}
