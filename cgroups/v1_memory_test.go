package cgroups

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

const v1Unlimited = "9223372036854771712"

func fakeMemoryV1(t *testing.T, limit string) string {
	return fakeCgroup(t, "memory.limit_in_bytes="+limit, "memory.memsw.limit_in_bytes="+limit,
		"memory.soft_limit_in_bytes", "memory.oom_control", "memory.swappiness",
		"memory.use_hierarchy", "memory.usage_in_bytes=1000")
}

func TestSetMemoryV1AllFields(t *testing.T) {
	dir := fakeMemoryV1(t, v1Unlimited)
	writes := recordWrites(t)
	err := setMemoryV1(dir, &specs.LinuxMemory{
		Limit: ptr[int64](64 << 20), Swap: ptr[int64](128 << 20), Reservation: ptr[int64](32 << 20),
		Swappiness: ptr[uint64](10), DisableOOMKiller: ptr(true), UseHierarchy: ptr(true),
		Kernel: ptr[int64](1), KernelTCP: ptr[int64](1),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Lowering from unlimited: the limit goes before memory+swap.
	wantWrites(t, writes,
		"memory.limit_in_bytes 67108864",
		"memory.memsw.limit_in_bytes 134217728",
		"memory.soft_limit_in_bytes 33554432",
		"memory.oom_control 1",
		"memory.swappiness 10",
		"memory.use_hierarchy 1")
}

func TestSetMemoryV1RaiseWritesSwapFirst(t *testing.T) {
	dir := fakeMemoryV1(t, "67108864")
	writes := recordWrites(t)
	if err := setMemoryV1(dir, &specs.LinuxMemory{Limit: ptr[int64](256 << 20), Swap: ptr[int64](512 << 20)}); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "memory.memsw.limit_in_bytes 536870912", "memory.limit_in_bytes 268435456")
}

func TestSetMemoryV1Unlimited(t *testing.T) {
	dir := fakeMemoryV1(t, "67108864")
	writes := recordWrites(t)
	// -1 with swap unset also lifts memory+swap (runc); swap first, or the
	// kernel would refuse memsw < limit.
	if err := setMemoryV1(dir, &specs.LinuxMemory{Limit: ptr[int64](-1)}); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "memory.memsw.limit_in_bytes -1", "memory.limit_in_bytes -1")
	if content(t, dir, "memory.limit_in_bytes") != "-1" {
		t.Error("limit not written")
	}
}

func TestSetMemoryV1Errors(t *testing.T) {
	dir := fakeCgroup(t, "memory.limit_in_bytes="+v1Unlimited, "memory.usage_in_bytes=5000")
	err := setMemoryV1(dir, &specs.LinuxMemory{Limit: ptr[int64](64 << 20), Swap: ptr[int64](128 << 20)})
	wantErr(t, err, "linux.resources.memory.swap: "+dir+"/memory.memsw.limit_in_bytes: not supported by this host")

	err = setMemoryV1(dir, &specs.LinuxMemory{Limit: ptr[int64](4096), CheckBeforeUpdate: ptr(true)})
	wantErr(t, err, "linux.resources.memory.limit: 4096 is not above the current usage 5000")

	err = validateMemoryV1(&specs.LinuxMemory{Swappiness: ptr[uint64](101)})
	wantErr(t, err, "linux.resources.memory.swappiness: 101 is out of range")

	failWrites(t, "memory.limit_in_bytes", unix.EBUSY)
	err = setMemoryV1(dir, &specs.LinuxMemory{Limit: ptr[int64](4096)})
	wantErr(t, err, "linux.resources.memory.limit: write "+dir+"/memory.limit_in_bytes: device or resource busy (current usage 5000 bytes)")
}

func TestSetMemoryV1SwappinessMinusOneSkipped(t *testing.T) {
	dir := fakeMemoryV1(t, v1Unlimited)
	writes := recordWrites(t)
	if err := setMemoryV1(dir, &specs.LinuxMemory{Swappiness: ptr[uint64](^uint64(0))}); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes)
}
