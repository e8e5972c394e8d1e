package cgroups

import (
	"math"
	"path/filepath"
	"reflect"
	"testing"
)

// fakeV2Stats is a unified directory with memory, pids, io and hugetlb
// enabled, as a v2 kernel shows it.
func fakeV2Stats(t *testing.T) string {
	t.Helper()
	useHugePageSizes(t, "2048", "1048576")
	return fakeCgroup(t,
		"memory.stat=anon 4096\nfile 8192\nkernel 512\n",
		"memory.current=16384", "memory.max=33554432", "memory.peak=65536",
		"memory.events=low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\noom_group_kill 0\n",
		"memory.swap.current=4096", "memory.swap.max=max", "memory.swap.peak=8192",
		"cpu.stat=usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 7\nnr_throttled 2\nthrottled_usec 300\nnr_bursts 0\nburst_usec 0\n",
		"pids.current=4", "pids.max=100",
		"io.stat=8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=1 wbytes=0 rios=1 wios=0 dbytes=0 dios=0 cost.usage=3\n",
		"hugetlb.2MB.current=2097152", "hugetlb.2MB.max=max", "hugetlb.2MB.events=max 2\n",
		"hugetlb.1GB.current=0", "hugetlb.1GB.max=0", "hugetlb.1GB.events=max 0\n",
		"cgroup.procs=1\n2\n",
	)
}

func v2StatsOf(dir string) (*Stats, error) {
	return (&v2Manager{base: base{paths: map[string]string{"": dir}}}).Stats()
}

func TestV2Stats(t *testing.T) {
	st, err := v2StatsOf(fakeV2Stats(t))
	if err != nil {
		t.Fatal(err)
	}
	want := &Stats{
		CPU: CPUStats{
			Usage:      CPUUsage{Total: 1500000, User: 1000000, Kernel: 500000},
			Throttling: Throttling{Periods: 7, ThrottledPeriods: 2, ThrottledTime: 300000},
		},
		Memory: MemoryStats{
			Cache: 8192,
			Usage: MemoryEntry{Limit: 33554432, Usage: 16384, Max: 65536, Failcnt: 5},
			// memory+swap; an unlimited swap keeps the sum unlimited.
			Swap: MemoryEntry{Limit: math.MaxUint64, Usage: 20480},
			Raw:  map[string]uint64{"anon": 4096, "file": 8192, "kernel": 512},
		},
		Pids: PidsStats{Current: 4, Limit: 100},
		Blkio: BlkioStats{
			IoServiceBytesRecursive: []BlkioEntry{
				{8, 0, "Read", 4096}, {8, 0, "Write", 8192}, {8, 0, "Discard", 0},
				{253, 1, "Read", 1}, {253, 1, "Write", 0}, {253, 1, "Discard", 0},
			},
			IoServicedRecursive: []BlkioEntry{
				{8, 0, "Read", 1}, {8, 0, "Write", 2}, {8, 0, "Discard", 0},
				{253, 1, "Read", 1}, {253, 1, "Write", 0}, {253, 1, "Discard", 0},
			},
		},
		Hugetlb: map[string]HugetlbStats{"2MB": {Usage: 2097152, Failcnt: 2}, "1GB": {}},
	}
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("stats:\n got %+v\nwant %+v", st, want)
	}
}

func TestV2SwapLimitIsMemoryPlusSwap(t *testing.T) {
	dir := fakeV2Stats(t)
	addFakeFiles(t, dir, "memory.swap.max=1048576")
	st, err := v2StatsOf(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Memory.Swap.Limit; got != 33554432+1048576 {
		t.Fatalf("swap limit %d, want memory.max + memory.swap.max", got)
	}
	addFakeFiles(t, dir, "memory.max=max")
	if st, err = v2StatsOf(dir); err != nil || st.Memory.Swap.Limit != math.MaxUint64 {
		t.Fatalf("unlimited memory: swap limit %d, %v; want unlimited", st.Memory.Swap.Limit, err)
	}
}

// Without the memory, pids, io and hugetlb controllers a cgroup has only
// cpu.stat: CPU time is reported, pids are counted from cgroup.procs and
// the rest stays empty. Kernels before 5.19 have no memory.peak.
func TestV2StatsWithoutControllers(t *testing.T) {
	useHugePageSizes(t, "2048")
	dir := fakeCgroup(t, "cpu.stat=usage_usec 10\nuser_usec 6\nsystem_usec 4\n", "cgroup.procs=7\n8\n9\n")
	st, err := v2StatsOf(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := newStats()
	want.CPU.Usage = CPUUsage{Total: 10000, User: 6000, Kernel: 4000}
	want.Pids.Current = 3
	if !reflect.DeepEqual(st, want) {
		t.Fatalf("stats:\n got %+v\nwant %+v", st, want)
	}

	dir = fakeV2Stats(t)
	for _, f := range []string{"memory.peak", "memory.swap.current", "memory.swap.max"} {
		removeFake(t, dir, f)
	}
	if st, err = v2StatsOf(dir); err != nil {
		t.Fatal(err)
	}
	if u, s := st.Memory.Usage, st.Memory.Swap; u.Max != 0 || s.Usage != u.Usage || s.Limit != u.Limit {
		t.Fatalf("usage %+v, swap %+v: want no peak, swap = memory", u, s)
	}
}

func TestV2StatsMalformedFiles(t *testing.T) {
	for _, c := range []struct{ file, content, want string }{
		{"memory.stat", "anon 1\nfile\n", `line 2: "file"`},
		{"memory.current", "-", `"-" is not a counter`},
		{"memory.max", "", `"" is not a counter`},
		{"memory.events", "max x\n", `line 1: "max x"`},
		{"cpu.stat", "usage_usec 1 2\n", `want "key value"`},
		{"pids.max", "lots", `"lots" is not a counter`},
		{"io.stat", "8:0 rbytes\n", `line 1: "8:0 rbytes": "rbytes": want key=value`},
		{"io.stat", "8:0 wios=-1\n", `"-1" is not a counter`},
		{"io.stat", "sda rbytes=1\n", `"sda" is not a device MAJ:MIN`},
		{"hugetlb.2MB.events", "low 1\n", `no "max" line`},
	} {
		t.Run(c.file, func(t *testing.T) {
			dir := fakeV2Stats(t)
			addFakeFiles(t, dir, c.file+"="+c.content)
			_, err := v2StatsOf(dir)
			wantErr(t, err, "cgroup: stats: "+filepath.Join(dir, c.file)+": ", c.want)
		})
	}
}

func TestV2StatsRequiredFiles(t *testing.T) {
	dir := fakeV2Stats(t)
	removeFake(t, dir, "memory.max")
	_, err := v2StatsOf(dir)
	wantErr(t, err, filepath.Join(dir, "memory.max"))
}
