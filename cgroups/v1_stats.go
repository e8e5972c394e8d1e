package cgroups

import (
	"math"
)

// v1StatReaders reads each v1 controller's statistics into Stats.
var v1StatReaders = []struct {
	controller string
	read       func(dir string, st *Stats) error
}{
	{"memory", memoryStatsV1},
	{"cpu", cpuStatsV1},
	{"cpuacct", cpuacctStatsV1},
	{"cpuset", cpusetStatsV1},
	{"pids", readPidsStats},
	{"blkio", blkioStatsV1},
	{"hugetlb", hugetlbStatsV1},
}

// Stats reads the statistics of every v1 controller the container has a
// directory in. As in runc, a controller the host does not mount is
// skipped, while a file that cannot be parsed fails the whole call.
func (m *v1Manager) Stats() (*Stats, error) {
	st := newStats()
	for _, r := range v1StatReaders {
		dir, ok := m.paths[r.controller]
		if !ok || !isDir(dir) {
			continue
		}
		if err := r.read(dir, st); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// memoryStatsV1 reads memory.stat and the four counter families: memory,
// memory.memsw (memory+swap), memory.kmem and memory.kmem.tcp.
func memoryStatsV1(dir string, st *Stats) error {
	ok, err := readMemoryStat(dir, st, "cache")
	if !ok || err != nil {
		return err
	}
	families := []struct {
		name  string
		entry *MemoryEntry
	}{
		{"", &st.Memory.Usage},
		{"memsw", &st.Memory.Swap},
		{"kmem", &st.Memory.Kernel},
		{"kmem.tcp", &st.Memory.KernelTCP},
	}
	for _, f := range families {
		if *f.entry, err = memoryEntryV1(dir, f.name); err != nil {
			return err
		}
	}
	return nil
}

// memoryEntryV1 reads memory[.name].{usage_in_bytes,max_usage_in_bytes,
// failcnt,limit_in_bytes}. Swap and kmem accounting are optional in the
// kernel, and kmem.limit_in_bytes is gone from recent ones: their absence
// leaves zeros.
func memoryEntryV1(dir, name string) (MemoryEntry, error) {
	prefix := "memory."
	if name != "" {
		prefix += name + "."
	}
	var e MemoryEntry
	var err error
	if e.Usage, err = statUint(dir, prefix+"usage_in_bytes"); err != nil {
		if name != "" && isMissing(err) {
			return MemoryEntry{}, nil
		}
		return MemoryEntry{}, err
	}
	if e.Max, err = statUint(dir, prefix+"max_usage_in_bytes"); err != nil {
		return MemoryEntry{}, err
	}
	if e.Failcnt, err = statUint(dir, prefix+"failcnt"); err != nil {
		return MemoryEntry{}, err
	}
	if e.Limit, err = statUint(dir, prefix+"limit_in_bytes"); err != nil {
		if name == "kmem" && isMissing(err) {
			return e, nil
		}
		return MemoryEntry{}, err
	}
	return e, nil
}

// cpuStatsV1 reads the CFS throttling counters of cpu.stat.
func cpuStatsV1(dir string, st *Stats) error {
	kv, err := statKeyValues(dir, "cpu.stat")
	if isMissing(err) {
		return nil
	}
	if err != nil {
		return err
	}
	st.CPU.Throttling = Throttling{
		Periods:          kv["nr_periods"],
		ThrottledPeriods: kv["nr_throttled"],
		ThrottledTime:    kv["throttled_time"],
	}
	return nil
}

// userHZ is the unit of cpuacct.stat: the kernel always reports
// USER_HZ = 100 ticks per second to userspace.
const userHZ = 100

// cpuacctStatsV1 reads CPU time: total and per CPU (ns), and the
// user/system split of cpuacct.stat (ticks, converted to ns). The per-CPU
// user/system files are newer (Linux 4.7) and may be missing.
func cpuacctStatsV1(dir string, st *Stats) error {
	u := &st.CPU.Usage
	var err error
	if u.Total, err = statUint(dir, "cpuacct.usage"); err != nil {
		return err
	}
	if u.PerCPU, err = statUintList(dir, "cpuacct.usage_percpu"); err != nil {
		return err
	}
	ticks, err := statKeyValues(dir, "cpuacct.stat")
	if err != nil {
		return err
	}
	u.User = ticksToNs(ticks["user"])
	u.Kernel = ticksToNs(ticks["system"])
	if u.PerCPUKernel, err = statUintList(dir, "cpuacct.usage_percpu_sys"); err != nil && !isMissing(err) {
		return err
	}
	if u.PerCPUUser, err = statUintList(dir, "cpuacct.usage_percpu_user"); err != nil && !isMissing(err) {
		return err
	}
	return nil
}

func ticksToNs(ticks uint64) uint64 {
	return ticks * (1e9 / userHZ)
}

// cpusetStatsV1 reads the cpuset in force: the CPU and memory node lists
// and the flags (each flag file is optional).
func cpusetStatsV1(dir string, st *Stats) error {
	c := &st.CPUSet
	var err error
	if c.CPUs, err = statCPUList(dir, "cpuset.cpus"); err != nil {
		return err
	}
	if c.Mems, err = statCPUList(dir, "cpuset.mems"); err != nil {
		return err
	}
	flags := []struct {
		file string
		dst  *uint64
	}{
		{"cpuset.cpu_exclusive", &c.CPUExclusive},
		{"cpuset.mem_hardwall", &c.MemHardwall},
		{"cpuset.mem_exclusive", &c.MemExclusive},
		{"cpuset.memory_migrate", &c.MemoryMigrate},
		{"cpuset.memory_spread_page", &c.MemorySpreadPage},
		{"cpuset.memory_spread_slab", &c.MemorySpreadSlab},
		{"cpuset.memory_pressure", &c.MemoryPressure},
		{"cpuset.sched_load_balance", &c.SchedLoadBalance},
	}
	for _, f := range flags {
		if *f.dst, err = statUint(dir, f.file); err != nil && !isMissing(err) {
			return err
		}
	}
	if c.SchedRelaxDomainLevel, err = statInt(dir, "cpuset.sched_relax_domain_level"); err != nil && !isMissing(err) {
		return err
	}
	return nil
}

// readPidsStats reads pids.current and pids.max, the same files on both
// versions. An unlimited "max" is reported as 0, runc's "no limit".
func readPidsStats(dir string, st *Stats) error {
	current, err := statUint(dir, "pids.current")
	if err != nil {
		return err
	}
	limit, err := statUint(dir, "pids.max")
	if err != nil {
		return err
	}
	if limit == math.MaxUint64 {
		limit = 0
	}
	st.Pids = PidsStats{Current: current, Limit: limit}
	return nil
}

// hugetlbStatsV1 reads usage, peak and failures for each page size.
func hugetlbStatsV1(dir string, st *Stats) error {
	sizes, err := hugePageSizes()
	if err != nil {
		return err
	}
	for _, size := range sizes {
		prefix := "hugetlb." + size + "."
		var h HugetlbStats
		if h.Usage, err = statUint(dir, prefix+"usage_in_bytes"); err != nil {
			return err
		}
		if h.Max, err = statUint(dir, prefix+"max_usage_in_bytes"); err != nil {
			return err
		}
		if h.Failcnt, err = statUint(dir, prefix+"failcnt"); err != nil {
			return err
		}
		st.Hugetlb[size] = h
	}
	return nil
}
