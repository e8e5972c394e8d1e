package cgroups

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// rmdir retry policy: a cgroup stays busy for a short while after its last
// process has exited (the kernel reaps it asynchronously).
const (
	rmdirAttempts = 10
	rmdirMaxDelay = 100 * time.Millisecond
)

// removeCreated removes the created directories, children first. leaves
// are the container's own cgroups: only below those are sub-cgroups (made
// by the container) removed too. A created parent that now holds other
// cgroups is left in place. It returns the directories still present
// because removing them failed, in their original order.
func removeCreated(created, leaves []string) ([]string, error) {
	var failed []string
	var errs []error
	for i := len(created) - 1; i >= 0; i-- {
		dir := created[i]
		if err := removeOne(dir, contains(leaves, dir)); err != nil {
			failed = append([]string{dir}, failed...)
			errs = append(errs, err)
		}
	}
	return failed, errors.Join(errs...)
}

func removeOne(dir string, leaf bool) error {
	if err := checkCgroupFS(dir); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	if leaf {
		if err := removeSubCgroups(dir); err != nil {
			return err
		}
	} else if hasSubdirs(dir) {
		return nil // shared with cgroups that are not ours
	}
	return rmdirRetry(dir)
}

// checkCgroupFS refuses directories outside cgroupfs, so that a damaged
// state file cannot make Destroy remove arbitrary empty directories.
func checkCgroupFS(dir string) error {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return fmt.Errorf("cgroup: remove %s: %w", dir, &os.PathError{Op: "statfs", Path: dir, Err: err})
	}
	if st.Type != unix.CGROUP_SUPER_MAGIC && st.Type != unix.CGROUP2_SUPER_MAGIC {
		return fmt.Errorf("cgroup: remove %s: not on a cgroup filesystem", dir)
	}
	return nil
}

// removeSubCgroups removes every cgroup below dir, deepest first.
func removeSubCgroups(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("cgroup: remove sub-cgroups of %s: %w", dir, err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		child := filepath.Join(dir, e.Name())
		if err := removeSubCgroups(child); err != nil {
			return err
		}
		if err := rmdirRetry(child); err != nil {
			return err
		}
	}
	return nil
}

func hasSubdirs(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.IsDir() {
			return true
		}
	}
	return false
}

// rmdirRetry removes one cgroup directory (cgroupfs only allows rmdir),
// retrying while the kernel reports it busy. Already gone is success.
func rmdirRetry(dir string) error {
	delay := 10 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := unix.Rmdir(dir)
		if err == nil || errors.Is(err, unix.ENOENT) {
			return nil
		}
		if !errors.Is(err, unix.EBUSY) || attempt == rmdirAttempts {
			return fmt.Errorf("cgroup: remove %s: %w", dir, err)
		}
		time.Sleep(delay)
		delay = min(delay*2, rmdirMaxDelay)
	}
}
