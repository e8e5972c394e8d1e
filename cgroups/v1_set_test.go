package cgroups

import (
	"os"
	"path/filepath"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// fakeV1 returns a v1 manager whose hierarchies are fake directories.
func fakeV1(t *testing.T, dirs map[string]string) Manager {
	return Load(State{Version: 1, Paths: dirs})
}

func TestV1SetPidsNetRdma(t *testing.T) {
	pids := fakeCgroup(t, "pids.max")
	netCls := fakeCgroup(t, "net_cls.classid")
	netPrio := fakeCgroup(t, "net_prio.ifpriomap")
	rdma := fakeCgroup(t, "rdma.max")
	systemd := fakeCgroup(t)
	m := fakeV1(t, map[string]string{"pids": pids, "net_cls": netCls, "net_prio": netPrio, "rdma": rdma, "name=systemd": systemd})
	writes := recordWrites(t)
	err := m.Set(&specs.LinuxResources{
		Pids: &specs.LinuxPids{Limit: ptr[int64](-1)},
		Network: &specs.LinuxNetwork{ClassID: ptr[uint32](0x100001),
			Priorities: []specs.LinuxInterfacePriority{{Name: "eth0", Priority: 5}, {Name: "lo", Priority: 1}}},
		Rdma: map[string]specs.LinuxRdma{
			"mlx5_1": {HcaHandles: ptr[uint32](3), HcaObjects: ptr[uint32](10000)},
			"mlx4_0": {HcaObjects: ptr[uint32](7)},
			"empty":  {},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes,
		"pids.max max",
		"net_cls.classid 1048577",
		"net_prio.ifpriomap eth0 5",
		"net_prio.ifpriomap lo 1",
		"rdma.max mlx4_0 hca_object=7",
		"rdma.max mlx5_1 hca_handle=3 hca_object=10000")
	if entries, _ := os.ReadDir(systemd); len(entries) != 0 {
		t.Errorf("name=systemd hierarchy was written: %v", entries)
	}
}

func TestV1SetMissingControllerFailsBeforeWriting(t *testing.T) {
	pids := fakeCgroup(t, "pids.max")
	m := fakeV1(t, map[string]string{"pids": pids})
	writes := recordWrites(t)
	for _, tc := range []struct {
		r    specs.LinuxResources
		want string
	}{
		{specs.LinuxResources{Network: &specs.LinuxNetwork{ClassID: ptr[uint32](1)}}, "linux.resources.network.classID: net_cls controller not mounted on this host"},
		{specs.LinuxResources{Network: &specs.LinuxNetwork{Priorities: []specs.LinuxInterfacePriority{{Name: "lo"}}}}, "linux.resources.network.priorities: net_prio controller not mounted"},
		{specs.LinuxResources{Memory: &specs.LinuxMemory{Limit: ptr[int64](1 << 20)}}, "linux.resources.memory.limit: memory controller not mounted"},
		{specs.LinuxResources{CPU: &specs.LinuxCPU{Mems: "0"}}, "linux.resources.cpu.mems: cpuset controller not mounted"},
		{specs.LinuxResources{BlockIO: &specs.LinuxBlockIO{Weight: ptr[uint16](100)}}, "linux.resources.blockIO.weight: blkio controller not mounted"},
		{specs.LinuxResources{HugepageLimits: []specs.LinuxHugepageLimit{{Pagesize: "2MB"}}}, "linux.resources.hugepageLimits: hugetlb controller not mounted"},
		{specs.LinuxResources{Rdma: map[string]specs.LinuxRdma{"d": {HcaHandles: ptr[uint32](1)}}}, `linux.resources.rdma["d"]: rdma controller not mounted`},
		{specs.LinuxResources{Unified: map[string]string{"memory.high": "1"}}, "linux.resources.unified: not supported on cgroup v1"},
		{specs.LinuxResources{Devices: []specs.LinuxDeviceCgroup{{}}}, "linux.resources.devices: devices controller not mounted"},
	} {
		r := tc.r
		r.Pids = &specs.LinuxPids{Limit: ptr[int64](10)}
		wantErr(t, m.Set(&r), tc.want)
	}
	wantWrites(t, writes) // the pids limit was never written
	// Unset or empty values need no controller.
	err := m.Set(&specs.LinuxResources{Network: &specs.LinuxNetwork{}, Memory: &specs.LinuxMemory{Limit: ptr[int64](0)},
		CPU: &specs.LinuxCPU{}, BlockIO: &specs.LinuxBlockIO{}, Unified: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestV1SetValidatesFirst(t *testing.T) {
	pids := fakeCgroup(t, "pids.max")
	m := fakeV1(t, map[string]string{"pids": pids, "hugetlb": fakeCgroup(t), "": fakeCgroup(t)})
	writes := recordWrites(t)
	for _, tc := range []struct {
		r    specs.LinuxResources
		want string
	}{
		{specs.LinuxResources{HugepageLimits: []specs.LinuxHugepageLimit{{Pagesize: "../2MB"}}}, "linux.resources.hugepageLimits[0].pageSize: \"../2MB\""},
		{specs.LinuxResources{Unified: map[string]string{"../memory.max": "1"}}, `linux.resources.unified["../memory.max"]: not a cgroup2 file name`},
		{specs.LinuxResources{Unified: map[string]string{"memory": "1"}}, `linux.resources.unified["memory"]`},
		{specs.LinuxResources{Unified: map[string]string{"memory..max": "1"}}, `linux.resources.unified["memory..max"]`},
		{specs.LinuxResources{Rdma: map[string]specs.LinuxRdma{"a b": {}}}, `linux.resources.rdma["a b"]: not a device name`},
		{specs.LinuxResources{Network: &specs.LinuxNetwork{Priorities: []specs.LinuxInterfacePriority{{Name: "eth0 1\nlo"}}}}, "linux.resources.network.priorities[0].name"},
		{specs.LinuxResources{Memory: &specs.LinuxMemory{Swappiness: ptr[uint64](200)}}, "linux.resources.memory.swappiness"},
	} {
		r := tc.r
		r.Pids = &specs.LinuxPids{Limit: ptr[int64](10)}
		wantErr(t, m.Set(&r), tc.want)
	}
	wantWrites(t, writes)
}

func TestV1SetHugetlb(t *testing.T) {
	limits := []specs.LinuxHugepageLimit{{Pagesize: "2MB", Limit: 4 << 20}, {Pagesize: "1GB", Limit: 1 << 30}}

	// A v1 hugetlb hierarchy, with reservation files for the first size
	// only: once one is missing the others are not tried (as runc).
	v1 := fakeCgroup(t, "hugetlb.2MB.limit_in_bytes", "hugetlb.1GB.limit_in_bytes")
	writes := recordWrites(t)
	if err := fakeV1(t, map[string]string{"hugetlb": v1}).Set(&specs.LinuxResources{HugepageLimits: limits}); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "hugetlb.2MB.limit_in_bytes 4194304", "hugetlb.2MB.rsvd.limit_in_bytes 4194304", "hugetlb.1GB.limit_in_bytes 1073741824")

	// Hybrid without v1 hugetlb: the unified cgroup takes v2 files.
	unified := fakeCgroup(t, "hugetlb.2MB.max", "hugetlb.2MB.rsvd.max", "hugetlb.1GB.max", "hugetlb.1GB.rsvd.max")
	*writes = nil
	if err := fakeV1(t, map[string]string{"memory": t.TempDir(), "": unified}).Set(&specs.LinuxResources{HugepageLimits: limits}); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "hugetlb.2MB.max 4194304", "hugetlb.2MB.rsvd.max 4194304", "hugetlb.1GB.max 1073741824", "hugetlb.1GB.rsvd.max 1073741824")

	err := fakeV1(t, map[string]string{"hugetlb": v1}).Set(&specs.LinuxResources{HugepageLimits: []specs.LinuxHugepageLimit{{Pagesize: "64KB", Limit: 1}}})
	wantErr(t, err, "linux.resources.hugepageLimits[0]: "+filepath.Join(v1, "hugetlb.64KB.limit_in_bytes")+": not supported by this host")
}

func TestV1SetUnifiedOnHybrid(t *testing.T) {
	unified := fakeCgroup(t, "hugetlb.2MB.max", "cgroup.max.depth")
	writes := recordWrites(t)
	err := fakeV1(t, map[string]string{"memory": t.TempDir(), "": unified}).Set(&specs.LinuxResources{
		Unified: map[string]string{"hugetlb.2MB.max": "4096", "cgroup.max.depth": "3\n"}})
	if err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "cgroup.max.depth 3", "hugetlb.2MB.max 4096")
}
