package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ocirun/ocirun/specconv"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func TestBundlesNext(t *testing.T) {
	dir := t.TempDir()
	base := specconv.Example()
	data, err := json.Marshal(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "base.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := loadBundles(filepath.Join(dir, "base.json"), filepath.Join(dir, "bundles"), "crun-7-")
	if err != nil {
		t.Fatal(err)
	}
	id1, dir1, err := b.next("/bin/true")
	if err != nil {
		t.Fatal(err)
	}
	id2, _, err := b.next("sleep", "5")
	if err != nil {
		t.Fatal(err)
	}
	if id1 != "crun-7-1" || id2 != "crun-7-2" {
		t.Errorf("ids %q, %q", id1, id2)
	}
	var got specs.Spec
	raw, err := os.ReadFile(filepath.Join(dir1, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	// Absolute: a relative cgroupsPath would land below the caller's cgroup.
	if got.Linux.CgroupsPath != "/ocirun-bench-crun-7-1" {
		t.Errorf("cgroupsPath %q", got.Linux.CgroupsPath)
	}
	if !slices.Equal(got.Process.Args, []string{"/bin/true"}) {
		t.Errorf("args %q", got.Process.Args)
	}
	if got.Linux.Namespaces == nil || len(got.Linux.MaskedPaths) == 0 {
		t.Error("the container config lost the base config's fields")
	}
	if b.base.Linux.CgroupsPath != "" || !slices.Equal(b.base.Process.Args, base.Process.Args) {
		t.Error("next changed the base config")
	}
	b.remove(id1)
	if _, err := os.Stat(dir1); !os.IsNotExist(err) {
		t.Errorf("bundle %s not removed: %v", dir1, err)
	}
}
