package cgroups

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
)

// pidsBelow lists the processes in dir and in every sub-cgroup below it:
// the container may have made its own sub-cgroups and "kill --all" must
// reach those processes too. Cgroups vanishing during the walk are skipped.
func pidsBelow(dir string) ([]int, error) {
	var pids []int
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p != dir {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		found, err := readProcs(p)
		if err != nil && !(errors.Is(err, fs.ErrNotExist) && p != dir) {
			return err
		}
		pids = append(pids, found...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cgroup: list pids in %s: %w", dir, err)
	}
	return pids, nil
}

// readProcs parses one cgroup.procs file.
func readProcs(dir string) ([]int, error) {
	text, err := readCgroupFile(dir, "cgroup.procs")
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, f := range strings.Fields(text) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", filepath.Join(dir, "cgroup.procs"), err)
		}
		pids = append(pids, pid)
	}
	return pids, nil
}
