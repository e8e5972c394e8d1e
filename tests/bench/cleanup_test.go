package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRemoveCgroupOfPlainDirectory(t *testing.T) {
	// crun's "unified" directories on its worker's private tmpfs are plain
	// directories holding a cgroup.procs file: rmdir alone cannot remove them.
	dir := filepath.Join(t.TempDir(), "ocirun-bench-crun-1-1")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte("123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := removeCgroup(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still there: %v", dir, err)
	}
	if err := removeCgroup(dir); err != nil {
		t.Errorf("removing a missing cgroup: %v", err)
	}
}

func TestSweepCgroupsRemovesOnlyThePrefix(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make cgroups")
	}
	const name = "ocirun-bench-unittest-sweep"
	hier := "/sys/fs/cgroup/pids"
	if _, err := os.Stat(hier); err != nil {
		t.Skip("no v1 pids hierarchy")
	}
	mine := filepath.Join(hier, name+"-1")
	other := filepath.Join(hier, name+"x-keep")
	for _, d := range []string{mine, other, filepath.Join(mine, "child")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { os.Remove(filepath.Join(mine, "child")); os.Remove(mine); os.Remove(other) })
	if err := sweepCgroups(name + "-"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(mine); !os.IsNotExist(err) {
		t.Errorf("%s not removed", mine)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("%s removed though it does not match: %v", other, err)
	}
}
