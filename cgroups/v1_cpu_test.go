package cgroups

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

func fakeCPUV1(t *testing.T) string {
	return fakeCgroup(t, "cpu.shares", "cpu.cfs_quota_us", "cpu.cfs_period_us", "cpu.cfs_burst_us",
		"cpu.idle", "cpu.rt_runtime_us", "cpu.rt_period_us")
}

func TestSetCPUV1AllFields(t *testing.T) {
	dir := fakeCPUV1(t)
	writes := recordWrites(t)
	err := setCPUV1(dir, &specs.LinuxCPU{
		Shares: ptr[uint64](512), Quota: ptr[int64](50000), Period: ptr[uint64](100000), Burst: ptr[uint64](1000),
		Idle: ptr[int64](0), RealtimeRuntime: ptr[int64](950), RealtimePeriod: ptr[uint64](1000000),
	})
	if err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes,
		"cpu.shares 512",
		"cpu.cfs_period_us 100000",
		"cpu.cfs_burst_us 1000",
		"cpu.cfs_quota_us 50000",
		"cpu.idle 0",
		"cpu.rt_period_us 1000000",
		"cpu.rt_runtime_us 950")
	for file, want := range map[string]string{"cpu.shares": "512", "cpu.cfs_quota_us": "50000", "cpu.cfs_period_us": "100000"} {
		if got := content(t, dir, file); got != want {
			t.Errorf("%s = %q, want %q", file, got, want)
		}
	}
}

func TestSetCPUV1PeriodRetriedAfterQuota(t *testing.T) {
	dir := fakeCPUV1(t)
	calls := 0
	orig := cgroupWrite
	cgroupWrite = func(d, f, v string) error {
		if f == "cpu.cfs_period_us" && calls == 0 { // the kernel refuses the first try
			calls++
			return unix.EINVAL
		}
		return orig(d, f, v)
	}
	t.Cleanup(func() { cgroupWrite = orig })
	writes := recordWrites(t)
	if err := setCPUV1(dir, &specs.LinuxCPU{Quota: ptr[int64](20000), Period: ptr[uint64](50000)}); err != nil {
		t.Fatal(err)
	}
	if got := content(t, dir, "cpu.cfs_period_us"); got != "50000" {
		t.Errorf("period = %q, want it written after the quota", got)
	}
	wantWrites(t, writes, "cpu.cfs_period_us 50000", "cpu.cfs_quota_us 20000", "cpu.cfs_period_us 50000")
}

func TestSetCPUV1Errors(t *testing.T) {
	dir := fakeCgroup(t, "cpu.shares=2")
	// The kernel clamps shares; here the write is dropped and 2 stays.
	orig := cgroupWrite
	cgroupWrite = func(d, f, v string) error { return nil }
	wantErr(t, setCPUV1(dir, &specs.LinuxCPU{Shares: ptr[uint64](1)}), "linux.resources.cpu.shares: 1 is out of range: the kernel set 2")
	cgroupWrite = orig

	wantErr(t, setCPUV1(dir, &specs.LinuxCPU{Quota: ptr[int64](1000)}),
		"linux.resources.cpu.quota: "+dir+"/cpu.cfs_quota_us: not supported by this host (no such file)")
	// Burst and idle are ignored where the kernel lacks them.
	if err := setCPUV1(dir, &specs.LinuxCPU{Burst: ptr[uint64](5), Idle: ptr[int64](1)}); err != nil {
		t.Fatal(err)
	}
}

func TestSetCpusetV1(t *testing.T) {
	dir := fakeCgroup(t, "cpuset.cpus=0-1", "cpuset.mems=0")
	if err := setCpusetV1(dir, &specs.LinuxCPU{Cpus: "1", Mems: "0"}); err != nil {
		t.Fatal(err)
	}
	if content(t, dir, "cpuset.cpus") != "1" || content(t, dir, "cpuset.mems") != "0" {
		t.Error("cpuset not written")
	}
	wantErr(t, setCpusetV1(t.TempDir()+"/gone", &specs.LinuxCPU{Cpus: "0"}), "linux.resources.cpu.cpus: write ", "/gone/cpuset.cpus: no such file or directory")
}
