package cgroups

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// TestSetOnHost writes limits into real v1 cgroups on this (hybrid) host
// and reads the kernel's files back. The kernel checks what fake
// directories cannot: memory/memsw write order, device list semantics.
func TestSetOnHost(t *testing.T) {
	requireV1Host(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "/ocirun-unit-res-" + hex.EncodeToString(b)
	cleanupTree(t, name)
	m, err := New(name, "unused-id")
	if err != nil {
		t.Fatal(err)
	}
	sleeper := startSleep(t)
	if err := m.Apply(sleeper.Process.Pid); err != nil {
		t.Fatal(err)
	}
	paths := m.State().Paths
	swap := fileExists(paths["memory"], memswFile)

	setAndCheck(t, m, hostResources(64<<20, 128<<20, swap), map[string]map[string]string{
		"memory":  {memLimitFile: "67108864", "memory.soft_limit_in_bytes": "33554432", "memory.swappiness": "10"},
		"cpu":     {"cpu.shares": "512", "cpu.cfs_quota_us": "50000", "cpu.cfs_period_us": "100000"},
		"cpuset":  {"cpuset.cpus": "0", "cpuset.mems": "0"},
		"pids":    {"pids.max": "50"},
		"devices": {"devices.list": "c 1:3 rwm"},
	})
	if swap {
		checkFile(t, paths["memory"], memswFile, "134217728")
	}
	// Raising then lowering both limits: the kernel refuses either in the
	// wrong order (memsw must stay >= limit at every step).
	for _, lim := range [][2]int64{{256 << 20, 512 << 20}, {32 << 20, 48 << 20}} {
		setAndCheck(t, m, hostResources(lim[0], lim[1], swap), map[string]map[string]string{
			"memory": {memLimitFile: itoa(lim[0])},
		})
		if swap {
			checkFile(t, paths["memory"], memswFile, itoa(lim[1]))
		}
	}
	checkDevicesKept(t, m, hostResources(0, 0, false))
	checkHostErrors(t, m, paths)

	killAndWait(sleeper)
	if err := m.Destroy(); err != nil {
		t.Fatal(err)
	}
}

func hostResources(limit, swap int64, withSwap bool) *specs.LinuxResources {
	mem := &specs.LinuxMemory{Limit: ptr(limit), Reservation: ptr(limit / 2), Swappiness: ptr[uint64](10)}
	if withSwap {
		mem.Swap = ptr(swap)
	}
	return &specs.LinuxResources{
		Memory: mem,
		CPU:    &specs.LinuxCPU{Shares: ptr[uint64](512), Quota: ptr[int64](50000), Period: ptr[uint64](100000), Cpus: "0", Mems: "0"},
		Pids:   &specs.LinuxPids{Limit: ptr[int64](50)},
		Devices: []specs.LinuxDeviceCgroup{
			{Allow: false, Access: "rwm"},
			{Allow: true, Type: "c", Major: ptr[int64](1), Minor: ptr[int64](3), Access: "rwm"},
		},
	}
}

func setAndCheck(t *testing.T, m Manager, r *specs.LinuxResources, want map[string]map[string]string) {
	t.Helper()
	if err := m.Set(r); err != nil {
		t.Fatal(err)
	}
	paths := m.State().Paths
	for ctrl, files := range want {
		for file, value := range files {
			checkFile(t, paths[ctrl], file, value)
		}
	}
}

func checkFile(t *testing.T, dir, file, want string) {
	t.Helper()
	got, err := readCgroupFile(dir, file)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%s/%s = %q, want %q", dir, file, got, want)
	}
}

// checkHostErrors asks for what this host cannot do: the errors must name
// the field (and the file when there is one).
func checkHostErrors(t *testing.T, m Manager, paths map[string]string) {
	t.Helper()
	if blkio, ok := paths["blkio"]; ok && !fileExists(blkio, "blkio.leaf_weight") {
		err := m.Set(&specs.LinuxResources{BlockIO: &specs.LinuxBlockIO{LeafWeight: ptr[uint16](100)}})
		wantErr(t, err, "linux.resources.blockIO.leafWeight: "+blkio+"/blkio.leaf_weight: not supported by this host (no such file)")
	}
	if _, ok := paths["net_cls"]; !ok {
		err := m.Set(&specs.LinuxResources{Network: &specs.LinuxNetwork{ClassID: ptr[uint32](1)}})
		wantErr(t, err, "linux.resources.network.classID: net_cls controller not mounted on this host")
	}
	if usage, err := readUint(paths["memory"], memUsageFile); err == nil && usage > 0 {
		err := m.Set(&specs.LinuxResources{Memory: &specs.LinuxMemory{Limit: ptr(int64(usage)), CheckBeforeUpdate: ptr(true)}})
		wantErr(t, err, "linux.resources.memory.limit: "+itoa(int64(usage))+" is not above the current usage")
	}
}

// checkDevicesKept sets the same device rules again: the kernel's list
// already matches, so nothing may be written (no reset under the process).
func checkDevicesKept(t *testing.T, m Manager, r *specs.LinuxResources) {
	t.Helper()
	writes := recordWrites(t)
	if err := m.Set(&specs.LinuxResources{Devices: r.Devices}); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes)
	checkFile(t, m.State().Paths["devices"], "devices.list", "c 1:3 rwm")
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
