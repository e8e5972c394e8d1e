package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// checkSeal creates (does not start) a container with ocirun and checks,
// from the host, that its init — `ocirun init`, still waiting for start —
// runs a sealed copy of the binary: CVE-2019-5736 is a container writing
// the runtime's binary through /proc/<pid>/exe.
func checkSeal(rt *runtimeCLI, b *bundles, c *call, binary string) (err error) {
	id, dir, err := b.next(sleeperArgs...)
	if err != nil {
		return err
	}
	pidFile := filepath.Join(dir, "pid")
	if _, err := rt.run(c, "create", "--bundle", dir, "--pid-file", pidFile, id); err != nil {
		return fmt.Errorf("seal check: %w", err)
	}
	defer func() {
		if _, delErr := rt.run(c, "delete", "--force", id); delErr != nil {
			err = errors.Join(err, fmt.Errorf("seal check: %w", delErr))
		}
		b.remove(id)
	}()
	pid, err := readPidFile(pidFile)
	if err != nil {
		return fmt.Errorf("seal check: %w", err)
	}
	return checkExeSealed(pid, binary)
}

// checkExeSealed fails unless pid's executable is unwritable from the
// host: not the binary's own inode, and not openable for writing (or, for
// a memfd copy, sealed against writes).
func checkExeSealed(pid int, binary string) error {
	exe := "/proc/" + strconv.Itoa(pid) + "/exe"
	onDisk, err := statID(binary)
	if err != nil {
		return err
	}
	running, err := statID(exe)
	if err != nil {
		return fmt.Errorf("seal check: %w", err)
	}
	if running == onDisk {
		return fmt.Errorf("seal check: pid %d runs %s itself: its /proc/%d/exe leads to the binary file (CVE-2019-5736 protection off)", pid, binary, pid)
	}
	f, err := os.OpenFile(exe, os.O_WRONLY, 0)
	if err == nil {
		defer f.Close()
		return checkWriteSealed(f, pid)
	}
	for _, refused := range []error{unix.EROFS, unix.ETXTBSY, unix.EACCES, unix.EPERM} {
		if errors.Is(err, refused) {
			return nil
		}
	}
	return fmt.Errorf("seal check: open %s for writing: unexpected error: %w", exe, err)
}

// checkWriteSealed accepts an exe opened for writing only if it is a memfd
// sealed against writes (the fallback copy): nothing can be written.
func checkWriteSealed(f *os.File, pid int) error {
	seals, err := unix.FcntlInt(f.Fd(), unix.F_GET_SEALS, 0)
	if err != nil || seals&unix.F_SEAL_WRITE == 0 {
		return fmt.Errorf("seal check: /proc/%d/exe can be opened for writing (CVE-2019-5736 protection off)", pid)
	}
	return nil
}
