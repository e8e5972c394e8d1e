package cgroups

import (
	"os"
	"path/filepath"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func TestSetIOV2BFQPerDevice(t *testing.T) {
	u := newUnifiedCgroup(fakeCgroup(t, "io.bfq.weight=default 100\n", "io.max"))
	writes := recordWrites(t)
	b := blockIOAll()
	b.LeafWeight = ptr[uint16](10) // ignored with a warning
	if err := setIOV2(u, b); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes,
		"io.bfq.weight 500",
		"io.bfq.weight 8:0 300",
		"io.max 8:0 rbps=1000",
		"io.max 8:0 wbps=2000",
		"io.max 8:16 riops=30",
		"io.max 8:16 wiops=40")
}

func TestSetIOV2OldBFQAndNoBFQ(t *testing.T) {
	// Old BFQ (bare number): per-device weights are ignored.
	u := newUnifiedCgroup(fakeCgroup(t, "io.bfq.weight=100\n", "io.max"))
	writes := recordWrites(t)
	b := &specs.LinuxBlockIO{Weight: ptr[uint16](500), WeightDevice: blockIOAll().WeightDevice}
	if err := setIOV2(u, b); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "io.bfq.weight 500")

	// No BFQ: the weight is converted for io.weight.
	u = newUnifiedCgroup(fakeCgroup(t, "io.weight"))
	*writes = nil
	if err := setIOV2(u, &specs.LinuxBlockIO{Weight: ptr[uint16](100)}); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "io.weight 910")
	if content(t, u.dir, "io.weight") != "910" {
		t.Error("io.weight not written")
	}

	u = newUnifiedCgroup(fakeCgroup(t))
	wantErr(t, setIOV2(u, &specs.LinuxBlockIO{Weight: ptr[uint16](100)}), "linux.resources.blockIO.weight: "+u.dir+"/io.weight: not supported by this host")
}

// io.bfq.weight only appears once the parent delegates io: the weight
// file must be chosen after that, or BFQ is missed on a new cgroup.
func TestSetIOV2DelegatesBeforeChoosingTheWeightFile(t *testing.T) {
	root := fakeCgroup(t, "cgroup.subtree_control=", "cgroup.controllers=io\n")
	leaf := filepath.Join(root, "leaf")
	if err := os.Mkdir(leaf, 0o755); err != nil {
		t.Fatal(err)
	}
	u := &unifiedCgroup{root: root, dir: leaf, enabled: map[string]bool{}}
	orig := cgroupWrite
	cgroupWrite = func(dir, file, value string) error {
		if file == "cgroup.subtree_control" && value == "+io" {
			// The kernel then shows the io files in the children.
			addFakeFiles(t, leaf, "io.bfq.weight=default 100\n", "io.weight=default 100\n")
		}
		return orig(dir, file, value)
	}
	t.Cleanup(func() { cgroupWrite = orig })
	writes := recordWrites(t)
	if err := setIOV2(u, &specs.LinuxBlockIO{Weight: ptr[uint16](500)}); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "cgroup.subtree_control +io", "io.bfq.weight 500")
}
