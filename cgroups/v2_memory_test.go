package cgroups

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func fakeMemoryV2(t *testing.T, extra ...string) *unifiedCgroup {
	dir := fakeCgroup(t, append([]string{"memory.max", "memory.low", "memory.current=5000"}, extra...)...)
	return newUnifiedCgroup(dir)
}

func TestSetMemoryV2(t *testing.T) {
	u := fakeMemoryV2(t, "memory.swap.max")
	writes := recordWrites(t)
	err := setMemoryV2(u, &specs.LinuxMemory{Limit: ptr[int64](64 << 20), Swap: ptr[int64](96 << 20),
		Reservation: ptr[int64](-1), Swappiness: ptr[uint64](10), UseHierarchy: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "memory.swap.max 33554432", "memory.max 67108864", "memory.low max")
}

func TestSetMemoryV2SwapCases(t *testing.T) {
	for _, tc := range []struct {
		limit, swap int64
		want        []string
	}{
		{100, 100, []string{"memory.swap.max 0", "memory.max 100"}}, // swap == limit: no swap
		{-1, 0, []string{"memory.swap.max max", "memory.max max"}},  // unlimited memory: unlimited swap
		{100, -1, []string{"memory.swap.max max", "memory.max 100"}},
		{100, 0, []string{"memory.max 100"}},
	} {
		u := fakeMemoryV2(t, "memory.swap.max")
		writes := recordWrites(t)
		if err := setMemoryV2(u, &specs.LinuxMemory{Limit: ptr(tc.limit), Swap: ptr(tc.swap)}); err != nil {
			t.Fatal(err)
		}
		wantWrites(t, writes, tc.want...)
	}
}

func TestSetMemoryV2NoSwapAccounting(t *testing.T) {
	u := fakeMemoryV2(t) // no memory.swap.max
	// "no swap" and "unlimited swap" ask for nothing: skipped silently.
	if err := setMemoryV2(u, &specs.LinuxMemory{Limit: ptr[int64](100), Swap: ptr[int64](100)}); err != nil {
		t.Fatal(err)
	}
	err := setMemoryV2(u, &specs.LinuxMemory{Limit: ptr[int64](100), Swap: ptr[int64](300)})
	wantErr(t, err, "linux.resources.memory.swap: "+u.dir+"/memory.swap.max: not supported by this host")
}

func TestSetMemoryV2Errors(t *testing.T) {
	u := fakeMemoryV2(t, "memory.swap.max")
	wantErr(t, setMemoryV2(u, &specs.LinuxMemory{Swap: ptr[int64](300)}), "linux.resources.memory.swap: a swap limit needs a memory limit")
	wantErr(t, setMemoryV2(u, &specs.LinuxMemory{Limit: ptr[int64](300), Swap: ptr[int64](200)}), "linux.resources.memory.swap: swap (memory+swap total, 200) must be >= memory limit (300)")
	wantErr(t, setMemoryV2(u, &specs.LinuxMemory{Limit: ptr[int64](4096), CheckBeforeUpdate: ptr(true)}),
		"linux.resources.memory.limit: 4096 is not above the current usage 5000 (memory.checkBeforeUpdate)")
	if err := setMemoryV2(u, &specs.LinuxMemory{Limit: ptr[int64](8192), CheckBeforeUpdate: ptr(true)}); err != nil {
		t.Fatal(err)
	}
}
