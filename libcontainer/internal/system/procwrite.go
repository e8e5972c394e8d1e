package system

import (
	"fmt"
	"os"
	"strconv"

	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"github.com/cyphar/filepath-securejoin/pathrs-lite/procfs"
	"golang.org/x/sys/unix"
)

// The runtime writes procfs files that decide the container's confinement
// (sysctls, oom_score_adj, id maps, LSM attrs). A plain path such as
// "/proc/sys/..." goes through whatever the container (or its config) has
// mounted there, so a bind mount over it could redirect the write to
// another procfs file (CVE-2025-52881) or swallow it (CVE-2019-16884).
// These helpers open the file through pathrs-lite's procfs handle instead:
// a private procfs instance, checked for fs magic, root inode and
// overmounts, then re-opened for writing from the verified handle.

// WriteProcRoot writes data to /proc/<subpath> (e.g. "sys/net/ipv4/ip_forward").
func WriteProcRoot(subpath string, data []byte) error {
	return writeProc("/proc/"+subpath, data, func(h *procfs.Handle) (*os.File, func(), error) {
		f, err := h.OpenRoot(subpath)
		return f, nil, err
	})
}

// WriteProcSelf writes data to /proc/self/<subpath>.
func WriteProcSelf(subpath string, data []byte) error {
	return writeProc("/proc/self/"+subpath, data, func(h *procfs.Handle) (*os.File, func(), error) {
		f, err := h.OpenSelf(subpath)
		return f, nil, err
	})
}

// WriteProcThreadSelf writes data to /proc/thread-self/<subpath>, for the
// per-thread attributes (LSM exec labels) of the calling thread.
func WriteProcThreadSelf(subpath string, data []byte) error {
	return writeProc("/proc/thread-self/"+subpath, data, func(h *procfs.Handle) (*os.File, func(), error) {
		f, closer, err := h.OpenThreadSelf(subpath)
		return f, closer, err
	})
}

// WriteProcPid writes data to /proc/<pid>/<subpath> (e.g. "uid_map").
func WriteProcPid(pid int, subpath string, data []byte) error {
	name := "/proc/" + strconv.Itoa(pid) + "/" + subpath
	return writeProc(name, data, func(h *procfs.Handle) (*os.File, func(), error) {
		f, err := h.OpenPid(pid, subpath)
		return f, nil, err
	})
}

// writeProc opens the file with open on a verified procfs handle, re-opens
// it write-only and writes data in one write(2), as procfs files expect.
func writeProc(name string, data []byte, open func(*procfs.Handle) (*os.File, func(), error)) error {
	proc, err := procfs.OpenProcRoot()
	if err != nil {
		return fmt.Errorf("open procfs for %s: %w", name, err)
	}
	defer proc.Close()
	handle, closer, err := open(proc)
	if closer != nil {
		defer closer()
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	defer handle.Close()
	f, err := pathrs.Reopen(handle, unix.O_WRONLY|unix.O_CLOEXEC)
	if err != nil {
		return fmt.Errorf("open %s for writing: %w", name, err)
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
