package cgroups

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

var v2Files = []string{"pids.max", "memory.max", "memory.low", "memory.swap.max", "io.max", "io.weight",
	"cpu.weight", "cpu.max", "cpuset.cpus", "cpuset.mems", "hugetlb.2MB.max", "rdma.max", "memory.high"}

func TestV2SetEveryController(t *testing.T) {
	dir := fakeCgroup(t, v2Files...)
	m := Load(State{Version: 2, Paths: map[string]string{"": dir}})
	writes := recordWrites(t)
	var attached []specs.LinuxDeviceCgroup
	origAttach := attachDevices
	attachDevices = func(_ int, rules []specs.LinuxDeviceCgroup) error { attached = rules; return nil }
	t.Cleanup(func() { attachDevices = origAttach })
	err := m.Set(&specs.LinuxResources{
		Devices:        []specs.LinuxDeviceCgroup{{Allow: false}},
		Pids:           &specs.LinuxPids{Limit: ptr[int64](100)},
		Memory:         &specs.LinuxMemory{Limit: ptr[int64](1 << 30), Swap: ptr[int64](2 << 30), Kernel: ptr[int64](1)},
		BlockIO:        &specs.LinuxBlockIO{Weight: ptr[uint16](1000)},
		CPU:            &specs.LinuxCPU{Shares: ptr[uint64](2), Quota: ptr[int64](10000), Cpus: "0"},
		HugepageLimits: []specs.LinuxHugepageLimit{{Pagesize: "2MB", Limit: 2 << 20}},
		Rdma:           map[string]specs.LinuxRdma{"mlx5_0": {HcaHandles: ptr[uint32](2)}},
		Unified:        map[string]string{"memory.high": "max"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(attached) != 1 || attached[0].Allow {
		t.Fatalf("device rules given to the eBPF filter: %+v", attached)
	}
	wantWrites(t, writes,
		"pids.max 100",
		"memory.swap.max 1073741824",
		"memory.max 1073741824",
		"io.weight 10000",
		"cpu.weight 1",
		"cpu.max 10000",
		"cpuset.cpus 0",
		"hugetlb.2MB.max 2097152",
		"hugetlb.2MB.rsvd.max 2097152", // tried: the file is missing, so skipped
		"rdma.max mlx5_0 hca_handle=2",
		"memory.high max")
	for file, want := range map[string]string{"pids.max": "100", "memory.max": "1073741824", "memory.swap.max": "1073741824",
		"cpu.max": "10000", "hugetlb.2MB.max": "2097152", "memory.high": "max"} {
		if got := content(t, dir, file); got != want {
			t.Errorf("%s = %q, want %q", file, got, want)
		}
	}
}

func TestV2SetRefusesUnsupportedBeforeWriting(t *testing.T) {
	dir := fakeCgroup(t, v2Files...)
	m := Load(State{Version: 2, Paths: map[string]string{"": dir}})
	writes := recordWrites(t)
	pids := &specs.LinuxPids{Limit: ptr[int64](5)}
	for _, tc := range []struct {
		r    specs.LinuxResources
		want string
	}{
		{specs.LinuxResources{Pids: pids, Network: &specs.LinuxNetwork{ClassID: ptr[uint32](1)}}, "linux.resources.network.classID: not supported on cgroup v2"},
		{specs.LinuxResources{Pids: pids, Network: &specs.LinuxNetwork{Priorities: []specs.LinuxInterfacePriority{{Name: "lo"}}}}, "linux.resources.network.priorities: not supported on cgroup v2"},
		{specs.LinuxResources{Pids: pids, Memory: &specs.LinuxMemory{DisableOOMKiller: ptr(true)}}, "linux.resources.memory.disableOOMKiller: not supported on cgroup v2"},
		{specs.LinuxResources{Pids: pids, CPU: &specs.LinuxCPU{RealtimeRuntime: ptr[int64](1)}}, "linux.resources.cpu.realtimeRuntime: not supported on cgroup v2"},
		{specs.LinuxResources{Pids: pids, Devices: []specs.LinuxDeviceCgroup{{Type: "q"}}}, "linux.resources.devices[0]: type"},
		{specs.LinuxResources{Pids: pids, Unified: map[string]string{"a/b.c": "1"}}, `linux.resources.unified["a/b.c"]`},
	} {
		wantErr(t, m.Set(&tc.r), tc.want)
	}
	wantWrites(t, writes)
	// disableOOMKiller false asks for the default: accepted.
	if err := m.Set(&specs.LinuxResources{Memory: &specs.LinuxMemory{DisableOOMKiller: ptr(false)}}); err != nil {
		t.Fatal(err)
	}
}

func TestV2SetUnifiedErrors(t *testing.T) {
	dir := fakeCgroup(t, "memory.high")
	m := Load(State{Version: 2, Paths: map[string]string{"": dir}})
	err := m.Set(&specs.LinuxResources{Unified: map[string]string{"memory.nope": "1"}})
	wantErr(t, err, `linux.resources.unified["memory.nope"]: `+filepath.Join(dir, "memory.nope")+": not supported by this host")
	if _, err := os.Stat(filepath.Join(dir, "memory.nope")); err == nil {
		t.Error("unified key created a file")
	}
}

// Writes delegate their controller from the hierarchy root down to the
// container's parent, once per controller.
func TestUnifiedCgroupEnablesControllers(t *testing.T) {
	root := fakeCgroup(t, "cgroup.subtree_control=memory\n", "cgroup.controllers=memory pids\n")
	mid := filepath.Join(root, "mid")
	leaf := filepath.Join(mid, "leaf")
	if err := os.MkdirAll(leaf, 0o755); err != nil {
		t.Fatal(err)
	}
	addFakeFiles(t, mid, "cgroup.subtree_control=pids\n", "cgroup.controllers=memory pids\n")
	addFakeFiles(t, leaf, "pids.max", "memory.max", "cpu.max", "cgroup.max.depth")
	u := &unifiedCgroup{root: root, dir: leaf, enabled: map[string]bool{}}
	subtreeControlLikeKernel(t)
	writes := recordWrites(t)
	for _, w := range [][2]string{{"pids.max", "5"}, {"pids.max", "6"}, {"memory.max", "max"}, {"cgroup.max.depth", "2"}} {
		if err := u.write("x", w[0], w[1]); err != nil {
			t.Fatal(err)
		}
	}
	wantWrites(t, writes,
		"cgroup.subtree_control +pids", // root lacked pids; mid had it
		"pids.max 5",
		"pids.max 6",
		"cgroup.subtree_control +memory", // mid lacked memory; root had it
		"memory.max max",
		"cgroup.max.depth 2")

	// A controller the hierarchy does not offer is named in the error.
	failWrites(t, "cgroup.subtree_control", unix.ENOENT)
	wantErr(t, u.write("cpu.quota", "cpu.max", "max"), "linux.resources.cpu.quota: cpu controller not available in "+root+` (cgroup.controllers: "memory pids")`)
}

// subtreeControlLikeKernel makes "+ctrl" writes to fake
// cgroup.subtree_control files add ctrl to the listed ones, as the kernel
// does, instead of replacing the content.
func subtreeControlLikeKernel(t *testing.T) {
	orig := cgroupWrite
	cgroupWrite = func(dir, file, value string) error {
		if file != "cgroup.subtree_control" {
			return orig(dir, file, value)
		}
		cur, err := readCgroupFile(dir, file)
		if err != nil {
			return err
		}
		return orig(dir, file, strings.TrimSpace(cur+" "+strings.TrimPrefix(value, "+")))
	}
	t.Cleanup(func() { cgroupWrite = orig })
}

func TestNewUnifiedCgroupRoot(t *testing.T) {
	if u := newUnifiedCgroup("/sys/fs/cgroup/unified/a/b"); u.root != hybridUnified {
		t.Errorf("hybrid root = %q", u.root)
	}
	if u := newUnifiedCgroup("/sys/fs/cgroup/a"); u.root != cgroupRoot {
		t.Errorf("v2 root = %q", u.root)
	}
}
