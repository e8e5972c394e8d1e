package rootfs

import (
	"fmt"
	"os"
	"strings"

	"github.com/cyphar/filepath-securejoin/pathrs-lite/procfs"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// procFileOverlays are the /proc files a config may mount over: the
// statistics files that lxcfs-style FUSE filesystems emulate, as runc allows.
var procFileOverlays = map[string]bool{
	"/proc/cpuinfo":                true,
	"/proc/diskstats":              true,
	"/proc/meminfo":                true,
	"/proc/stat":                   true,
	"/proc/swaps":                  true,
	"/proc/uptime":                 true,
	"/proc/loadavg":                true,
	"/proc/slabinfo":               true,
	"/proc/pressure/cpu":           true,
	"/proc/pressure/io":            true,
	"/proc/pressure/memory":        true,
	"/proc/net/dev":                true,
	"/proc/sys/kernel/ns_last_pid": true,
}

// checkProcTarget refuses a config mount that would land on /proc or
// inside any procfs, wherever the destination path pointed: a mount over
// /proc/self/attr/..., /proc/sys/... or /proc/sysrq-trigger could defeat
// the LSM labels, sysctl and masked-path protections the runtime applies
// through /proc afterwards (CVE-2019-16884, CVE-2023-27561, CVE-2023-28642).
// The check is on the resolved target (a symlink such as rootfs/mnt ->
// /proc is followed first) and on its filesystem type. Only a proc
// filesystem may go at /proc itself.
func (p *preparer) checkProcTarget(m *configs.Mount, t *target) error {
	where, err := p.inRootPath(t)
	if err != nil {
		return err
	}
	if procFileOverlays[where] {
		return nil
	}
	if where == "/proc" {
		return checkProcAtProc(m)
	}
	onProc, err := isOnProcfs(int(t.file.Fd()))
	if err != nil {
		return err
	}
	if onProc || strings.HasPrefix(where, "/proc/") {
		return fmt.Errorf("%s (resolved to %s) is inside /proc: mounting there is not allowed", m.Destination, where)
	}
	return nil
}

// checkProcAtProc allows at /proc a new proc mount or a bind of another
// procfs, nothing else (a tmpfs or a directory there would fake procfs).
func checkProcAtProc(m *configs.Mount) error {
	if m.Device == "proc" {
		return nil
	}
	if m.IsBind() {
		var st unix.Statfs_t
		if err := unix.Statfs(m.Source, &st); err == nil && st.Type == unix.PROC_SUPER_MAGIC {
			return nil
		}
	}
	return fmt.Errorf("%s: only a proc filesystem may be mounted at /proc, not %q", m.Destination, m.Device)
}

// inRootPath is where t really is, as a path inside the root.
func (p *preparer) inRootPath(t *target) (string, error) {
	real, err := procfs.ProcSelfFdReadlink(t.file)
	if err != nil {
		return "", fmt.Errorf("readlink handle of %s: %w", t.name, err)
	}
	where, ok := pathInRoot(p.res.rootPath, real)
	if !ok {
		return "", fmt.Errorf("%s is outside the root %s", real, p.res.rootPath)
	}
	return where, nil
}

func isOnProcfs(fd int) (bool, error) {
	var st unix.Statfs_t
	if err := unix.Fstatfs(fd, &st); err != nil {
		return false, &os.PathError{Op: "fstatfs", Path: "mount target", Err: err}
	}
	return st.Type == unix.PROC_SUPER_MAGIC, nil
}

// resolveTarget resolves m's destination inside the rootfs and checks the
// result may be mounted over.
func (p *preparer) resolveTarget(m *configs.Mount, opts resolveOpts) (*target, error) {
	t, err := p.res.resolve(m.Destination, opts)
	if err != nil {
		return nil, err
	}
	if err := p.checkProcTarget(m, t); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}
