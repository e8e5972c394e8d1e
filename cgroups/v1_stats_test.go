package cgroups

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeV1Stats is one fake directory per controller, with the files a v1
// kernel (with swap and kmem accounting) shows.
func fakeV1Stats(t *testing.T) map[string]string {
	t.Helper()
	useHugePageSizes(t, "2048")
	return map[string]string{
		"memory": fakeCgroup(t,
			"memory.stat=cache 8192\nrss 4096\ntotal_cache 8192\n",
			"memory.usage_in_bytes=12288", "memory.max_usage_in_bytes=65536",
			"memory.failcnt=2", "memory.limit_in_bytes=16777216",
			"memory.memsw.usage_in_bytes=12288", "memory.memsw.max_usage_in_bytes=65536",
			"memory.memsw.failcnt=1", "memory.memsw.limit_in_bytes=9223372036854771712",
			"memory.kmem.usage_in_bytes=100", "memory.kmem.max_usage_in_bytes=200",
			"memory.kmem.failcnt=0", "memory.kmem.limit_in_bytes=9223372036854771712",
			"memory.kmem.tcp.usage_in_bytes=0", "memory.kmem.tcp.max_usage_in_bytes=0",
			"memory.kmem.tcp.failcnt=0", "memory.kmem.tcp.limit_in_bytes=9223372036854771712",
		),
		"cpu": fakeCgroup(t, "cpu.stat=nr_periods 30\nnr_throttled 28\nthrottled_time 2616247218\nnr_bursts 0\n"),
		"cpuacct": fakeCgroup(t,
			"cpuacct.usage=343737563", "cpuacct.usage_percpu=139229359 204508204 \n",
			"cpuacct.usage_percpu_sys=8000000 20000000", "cpuacct.usage_percpu_user=164000000 240000000",
			"cpuacct.stat=user 32\nsystem 2\n",
		),
		"cpuset": fakeCgroup(t,
			"cpuset.cpus=0-1,3", "cpuset.mems=0", "cpuset.cpu_exclusive=0",
			"cpuset.sched_load_balance=1", "cpuset.sched_relax_domain_level=-1",
		),
		"pids": fakeCgroup(t, "pids.current=3", "pids.max=max"),
		"blkio": fakeCgroup(t,
			"blkio.bfq.io_serviced_recursive=",
			"blkio.throttle.io_serviced_recursive=8:0 Read 2\n8:0 Write 3\nTotal 5\n",
			"blkio.throttle.io_service_bytes_recursive=8:0 Read 8192\n8:0 Write 4096\nTotal 12288\n",
		),
		"hugetlb": fakeCgroup(t,
			"hugetlb.2MB.usage_in_bytes=2097152", "hugetlb.2MB.max_usage_in_bytes=4194304",
			"hugetlb.2MB.failcnt=1",
		),
	}
}

func v1StatsOf(t *testing.T, paths map[string]string) (*Stats, error) {
	t.Helper()
	return (&v1Manager{base: base{paths: paths}}).Stats()
}

func TestV1Stats(t *testing.T) {
	st, err := v1StatsOf(t, fakeV1Stats(t))
	if err != nil {
		t.Fatal(err)
	}
	const unlimited = 9223372036854771712
	want := &Stats{
		CPU: CPUStats{
			Usage: CPUUsage{
				Total: 343737563, PerCPU: []uint64{139229359, 204508204},
				PerCPUKernel: []uint64{8000000, 20000000}, PerCPUUser: []uint64{164000000, 240000000},
				Kernel: 20000000, User: 320000000, // ticks of 10 ms
			},
			Throttling: Throttling{Periods: 30, ThrottledPeriods: 28, ThrottledTime: 2616247218},
		},
		CPUSet: CPUSetStats{CPUs: []uint16{0, 1, 3}, Mems: []uint16{0}, SchedLoadBalance: 1, SchedRelaxDomainLevel: -1},
		Memory: MemoryStats{
			Cache:     8192,
			Usage:     MemoryEntry{Limit: 16777216, Usage: 12288, Max: 65536, Failcnt: 2},
			Swap:      MemoryEntry{Limit: unlimited, Usage: 12288, Max: 65536, Failcnt: 1},
			Kernel:    MemoryEntry{Limit: unlimited, Usage: 100, Max: 200},
			KernelTCP: MemoryEntry{Limit: unlimited},
			Raw:       map[string]uint64{"cache": 8192, "rss": 4096, "total_cache": 8192},
		},
		Pids: PidsStats{Current: 3, Limit: 0},
		Blkio: BlkioStats{
			IoServicedRecursive:     []BlkioEntry{{8, 0, "Read", 2}, {8, 0, "Write", 3}},
			IoServiceBytesRecursive: []BlkioEntry{{8, 0, "Read", 8192}, {8, 0, "Write", 4096}},
		},
		Hugetlb: map[string]HugetlbStats{"2MB": {Usage: 2097152, Max: 4194304, Failcnt: 1}},
	}
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("stats:\n got %+v\nwant %+v", st, want)
	}
}

// The JSON names are runc's: tools parse them.
func TestStatsJSONNames(t *testing.T) {
	st, err := v1StatsOf(t, fakeV1Stats(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"cpu":{"usage":{"total":343737563,"percpu":[139229359,204508204],"percpu_kernel":[8000000,20000000],"percpu_user":[164000000,240000000],"kernel":20000000,"user":320000000},"throttling":{"periods":30,"throttledPeriods":28,"throttledTime":2616247218}}`,
		`"cpuset":{"cpus":[0,1,3],"cpu_exclusive":0,"mems":[0],"mem_hardwall":0,"mem_exclusive":0,"memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,"sched_load_balance":1,"sched_relax_domain_level":-1}`,
		`"memory":{"cache":8192,"usage":{"limit":16777216,"usage":12288,"max":65536,"failcnt":2},"swap":{"limit":9223372036854771712,"usage":12288,"max":65536,"failcnt":1},"kernel":{"limit":9223372036854771712,"usage":100,"max":200,"failcnt":0},"kernelTCP":{"limit":9223372036854771712,"failcnt":0},"raw":{"cache":8192,"rss":4096,"total_cache":8192}}`,
		`"pids":{"current":3}`,
		`"blkio":{"ioServiceBytesRecursive":[{"major":8,"op":"Read","value":8192},{"major":8,"op":"Write","value":4096}],"ioServicedRecursive":[{"major":8,"op":"Read","value":2},{"major":8,"op":"Write","value":3}]}`,
		`"hugetlb":{"2MB":{"usage":2097152,"max":4194304,"failcnt":1}}`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s\nin %s", want, b)
		}
	}
}

// Optional files: no swap or kmem accounting, no kmem limit (Linux 6.x),
// no per-CPU split, no cpuset flags, no controller directory at all.
func TestV1StatsToleratesMissingFiles(t *testing.T) {
	paths := fakeV1Stats(t)
	for _, f := range []string{
		"memory.memsw.usage_in_bytes", "memory.kmem.limit_in_bytes",
		"memory.kmem.tcp.usage_in_bytes",
	} {
		removeFake(t, paths["memory"], f)
	}
	removeFake(t, paths["cpuacct"], "cpuacct.usage_percpu_sys")
	removeFake(t, paths["cpuset"], "cpuset.cpu_exclusive")
	paths["blkio"] = filepath.Join(t.TempDir(), "gone")
	delete(paths, "cpu")
	st, err := v1StatsOf(t, paths)
	if err != nil {
		t.Fatal(err)
	}
	if st.Memory.Swap != (MemoryEntry{}) || st.Memory.KernelTCP != (MemoryEntry{}) {
		t.Errorf("swap %+v, kernelTCP %+v: want zero", st.Memory.Swap, st.Memory.KernelTCP)
	}
	if k := st.Memory.Kernel; k.Usage != 100 || k.Limit != 0 {
		t.Errorf("kernel %+v: want usage 100 and no limit", k)
	}
	if st.CPU.Usage.PerCPUKernel != nil || st.CPU.Usage.PerCPUUser == nil {
		t.Errorf("per-CPU kernel %v (want none), user %v", st.CPU.Usage.PerCPUKernel, st.CPU.Usage.PerCPUUser)
	}
	if st.CPU.Throttling != (Throttling{}) || st.Blkio.IoServicedRecursive != nil {
		t.Errorf("throttling %+v, blkio %+v: want empty", st.CPU.Throttling, st.Blkio)
	}
	// Without memory.stat the memory controller reports nothing.
	removeFake(t, paths["memory"], "memory.stat")
	if st, err = v1StatsOf(t, paths); err != nil || st.Memory.Usage != (MemoryEntry{}) {
		t.Fatalf("no memory.stat: %+v, %v", st.Memory, err)
	}
}

func TestV1StatsRequiredFiles(t *testing.T) {
	paths := fakeV1Stats(t)
	removeFake(t, paths["memory"], "memory.failcnt")
	_, err := v1StatsOf(t, paths)
	wantErr(t, err, filepath.Join(paths["memory"], "memory.failcnt"))
}

func TestV1StatsMalformedFiles(t *testing.T) {
	for _, c := range []struct{ ctrl, file, content, want string }{
		{"memory", "memory.stat", "cache\n", `line 1: "cache"`},
		{"memory", "memory.usage_in_bytes", "lots", `"lots" is not a counter`},
		{"cpu", "cpu.stat", "nr_periods -", `"-" is not a counter`},
		{"cpuacct", "cpuacct.usage_percpu", "1 two 3", `"two" is not a counter`},
		{"cpuacct", "cpuacct.stat", "user 1 2", `want "key value"`},
		{"cpuset", "cpuset.cpus", "0-a", `"0-a" is not a list`},
		{"cpuset", "cpuset.sched_relax_domain_level", "x", `"x" is not a number`},
		{"pids", "pids.current", "", `"" is not a counter`},
		{"blkio", "blkio.throttle.io_service_bytes_recursive", "8:0 Read x\n", `line 1: "8:0 Read x": "x" is not a counter`},
		{"blkio", "blkio.throttle.io_service_bytes_recursive", "8-0 Read 1\n", `"8-0" is not a device`},
		{"hugetlb", "hugetlb.2MB.failcnt", "?", `"?" is not a counter`},
	} {
		t.Run(c.file, func(t *testing.T) {
			paths := fakeV1Stats(t)
			addFakeFiles(t, paths[c.ctrl], c.file+"="+c.content)
			_, err := v1StatsOf(t, paths)
			wantErr(t, err, "cgroup: stats: "+filepath.Join(paths[c.ctrl], c.file)+": ", c.want)
		})
	}
}

// The first blkio group whose first file has entries is used: here the
// BFQ files, so the throttling ones are ignored.
func TestV1BlkioPrefersSchedulerFiles(t *testing.T) {
	dir := fakeCgroup(t,
		"blkio.bfq.io_serviced_recursive=8:16 Read 1\n8:16 Write 0\nTotal 1\n",
		"blkio.bfq.io_service_bytes_recursive=8:16 Read 4096\n",
		"blkio.throttle.io_serviced_recursive=8:0 Read 9\n",
		"blkio.bfq.time_recursive=8:16 77\n",
	)
	st := newStats()
	if err := blkioStatsV1(dir, st); err != nil {
		t.Fatal(err)
	}
	want := BlkioStats{
		IoServicedRecursive:     []BlkioEntry{{8, 16, "Read", 1}, {8, 16, "Write", 0}},
		IoServiceBytesRecursive: []BlkioEntry{{8, 16, "Read", 4096}},
	}
	if !reflect.DeepEqual(st.Blkio, want) {
		t.Fatalf("blkio = %+v, want %+v", st.Blkio, want)
	}
	entries, err := blkioEntries(dir, "blkio.bfq.time_recursive")
	if err != nil || !reflect.DeepEqual(entries, []BlkioEntry{{Major: 8, Minor: 16, Value: 77}}) {
		t.Fatalf("operation-less file: %+v, %v", entries, err)
	}
}

func removeFake(t *testing.T, dir, file string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, file)); err != nil {
		t.Fatal(err)
	}
}
