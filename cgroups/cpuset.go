package cgroups

import (
	"fmt"
	"path/filepath"
)

// inheritCpuset fills the empty cpuset.cpus and cpuset.mems of dir and its
// ancestors from their parents. A new v1 cpuset cgroup starts with both
// empty and the kernel refuses to add a task to it until they are set.
func inheritCpuset(dir string) error {
	chain, err := emptyCpusets(dir)
	if err != nil {
		return err
	}
	for i := len(chain) - 1; i >= 0; i-- { // topmost first: each copies from a filled parent
		for _, file := range []string{"cpuset.cpus", "cpuset.mems"} {
			if err := copyIfEmpty(filepath.Dir(chain[i]), chain[i], file); err != nil {
				return err
			}
		}
	}
	return nil
}

// emptyCpusets lists dir and its ancestors up to (not including) the first
// one whose cpus and mems are both set.
func emptyCpusets(dir string) ([]string, error) {
	var chain []string
	for d := dir; ; d = filepath.Dir(d) {
		cpus, err := readCgroupFile(d, "cpuset.cpus")
		if err != nil {
			return nil, fmt.Errorf("cgroup: inherit cpuset for %s: %w", dir, err)
		}
		mems, err := readCgroupFile(d, "cpuset.mems")
		if err != nil {
			return nil, fmt.Errorf("cgroup: inherit cpuset for %s: %w", dir, err)
		}
		if cpus != "" && mems != "" {
			return chain, nil
		}
		chain = append(chain, d)
	}
}

func copyIfEmpty(parent, child, file string) error {
	cur, err := readCgroupFile(child, file)
	if err != nil {
		return fmt.Errorf("cgroup: inherit cpuset: %w", err)
	}
	if cur != "" {
		return nil
	}
	val, err := readCgroupFile(parent, file)
	if err != nil {
		return fmt.Errorf("cgroup: inherit cpuset: %w", err)
	}
	if err := writeCgroupFile(child, file, val); err != nil {
		return fmt.Errorf("cgroup: inherit cpuset: write %q to %s: %w", val, filepath.Join(child, file), bareErr(err))
	}
	return nil
}
