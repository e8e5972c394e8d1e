package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// cleanup deletes (with --force) every container this worker made, checks
// that its runtime lists none any more, removes what is left of their
// cgroups and the bundles. It is run on quit, on error and on a signal.
func (w *worker) cleanup() error {
	if w.last.watch != nil {
		w.last.watch.close()
		w.last = pending{}
	}
	ids := w.knownContainers()
	// A container whose create failed may not exist: a failing delete is
	// judged by the `list` below, not on its own.
	_ = w.parallel(len(ids), 8, func(i int, c *call) error {
		_, err := w.rt.run(c, "delete", "--force", ids[i])
		return err
	})
	var errs []error
	if left, err := w.listed(); err != nil {
		errs = append(errs, err)
	} else if len(left) > 0 {
		errs = append(errs, fmt.Errorf("%s still lists containers after cleanup: %s", w.rt.name, strings.Join(left, " ")))
	}
	w.live = map[string]bool{}
	w.background = nil
	if err := sweepCgroups(cgroupPrefix + w.bundles.idPrefix); err != nil {
		errs = append(errs, err)
	}
	if err := os.RemoveAll(w.bundles.dir); err != nil {
		errs = append(errs, fmt.Errorf("remove bundles: %w", err))
	}
	return errors.Join(errs...)
}

// knownContainers is every container id made by this worker or listed by
// its runtime, sorted.
func (w *worker) knownContainers() []string {
	set := map[string]bool{}
	for id := range w.live {
		set[id] = true
	}
	if listed, err := w.listed(); err == nil {
		for _, id := range listed {
			set[id] = true
		}
	}
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// listed is `list -q` of this worker's runtime.
func (w *worker) listed() ([]string, error) {
	if _, err := w.rt.run(w.main, "list", "-q"); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(w.main.out.Name())
	if err != nil {
		return nil, fmt.Errorf("read list output: %w", err)
	}
	return strings.Fields(string(b)), nil
}

// sweepCgroups removes every cgroup named prefix* at the top of every
// hierarchy (v1 controllers, named hierarchies, cgroup2), killing what
// still runs in it: only the bench makes cgroups with that prefix. It
// returns an error naming what it could not remove.
func sweepCgroups(prefix string) error {
	var dirs []string
	for _, pattern := range []string{"/sys/fs/cgroup/*/" + prefix + "*", "/sys/fs/cgroup/" + prefix + "*"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			return fmt.Errorf("glob %s: %w", pattern, err)
		}
		dirs = append(dirs, m...)
	}
	var errs []error
	for _, dir := range dirs {
		if err := removeCgroup(dir); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// removeCgroup removes dir and its sub-cgroups, deepest first. A plain
// directory (crun's "unified" one on the private tmpfs of its worker's
// mount namespace) is simply removed.
func removeCgroup(dir string) error {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err == nil && st.Type != unix.CGROUP_SUPER_MAGIC && st.Type != unix.CGROUP2_SUPER_MAGIC {
		return os.RemoveAll(dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("cgroup %s: %w", dir, err)
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := removeCgroup(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	var rmErr error
	for range 50 {
		killCgroupProcs(dir)
		rmErr = syscall.Rmdir(dir)
		if rmErr == nil || errors.Is(rmErr, os.ErrNotExist) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("LEAK: cgroup %s: rmdir: %w", dir, rmErr)
}

// killCgroupProcs sends SIGKILL to the processes left in a bench cgroup.
func killCgroupProcs(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	if err != nil {
		return
	}
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}
