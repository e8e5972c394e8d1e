package cgroups

import (
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
