package cgroups

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

func TestSetCPUV2(t *testing.T) {
	u := newUnifiedCgroup(fakeCgroup(t, "cpu.weight", "cpu.max", "cpu.max.burst", "cpu.idle", "cpuset.cpus", "cpuset.mems"))
	writes := recordWrites(t)
	c := &specs.LinuxCPU{Shares: ptr[uint64](1024), Quota: ptr[int64](50000), Period: ptr[uint64](100000),
		Burst: ptr[uint64](2000), Idle: ptr[int64](0), Cpus: "0-1", Mems: "0"}
	if err := setCPUV2(u, c); err != nil {
		t.Fatal(err)
	}
	if err := setCpusetV2(u, c); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "cpu.weight 39", "cpu.max.burst 2000", "cpu.max 50000 100000", "cpu.idle 0", "cpuset.cpus 0-1", "cpuset.mems 0")
	for file, want := range map[string]string{"cpu.weight": "39", "cpu.max": "50000 100000", "cpuset.cpus": "0-1"} {
		if got := content(t, u.dir, file); got != want {
			t.Errorf("%s = %q, want %q", file, got, want)
		}
	}
}

func TestSetCPUV2QuotaUnlimitedAndBurstRetry(t *testing.T) {
	u := newUnifiedCgroup(fakeCgroup(t, "cpu.max", "cpu.max.burst"))
	first := true
	orig := cgroupWrite
	cgroupWrite = func(d, f, v string) error {
		if f == "cpu.max.burst" && first { // refused against the old quota
			first = false
			return unix.EINVAL
		}
		return orig(d, f, v)
	}
	t.Cleanup(func() { cgroupWrite = orig })
	writes := recordWrites(t)
	if err := setCPUV2(u, &specs.LinuxCPU{Quota: ptr[int64](-1), Period: ptr[uint64](20000), Burst: ptr[uint64](100)}); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "cpu.max.burst 100", "cpu.max max 20000", "cpu.max.burst 100")
}

func TestSetCPUV2MissingFiles(t *testing.T) {
	u := newUnifiedCgroup(fakeCgroup(t))
	// burst is ignored without the file (kernels < 5.14), like runc
	if err := setCPUV2(u, &specs.LinuxCPU{Burst: ptr[uint64](100)}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, setCPUV2(u, &specs.LinuxCPU{Shares: ptr[uint64](100)}), "linux.resources.cpu.shares: "+u.dir+"/cpu.weight: not supported by this host")
	wantErr(t, setCPUV2(u, &specs.LinuxCPU{Period: ptr[uint64](100)}), "linux.resources.cpu.period: "+u.dir+"/cpu.max: not supported")
}
