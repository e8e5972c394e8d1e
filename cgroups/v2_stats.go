package cgroups

import (
	"math"
)

// v2StatReaders read the unified directory into Stats, one controller each.
var v2StatReaders = []func(dir string, st *Stats) error{
	memoryStatsV2, cpuStatsV2, pidsStatsV2, ioStatsV2, hugetlbStatsV2,
}

// Stats reads the container's unified directory. A controller that is not
// enabled there has no files and its section stays empty, as with runc;
// cpu.stat exists in every cgroup, so CPU time is always reported.
func (m *v2Manager) Stats() (*Stats, error) {
	dir, err := m.dir()
	if err != nil {
		return nil, err
	}
	st := newStats()
	for _, read := range v2StatReaders {
		if err := read(dir, st); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// memoryStatsV2 reads memory.stat, memory.{current,max,peak,events} and
// memory.swap.{current,max,peak}. Swap is reported as memory+swap (v1's
// meaning), as runc does; "file" of memory.stat is the page cache.
func memoryStatsV2(dir string, st *Stats) error {
	ok, err := readMemoryStat(dir, st, "file")
	if !ok || err != nil {
		return err
	}
	if st.Memory.Usage, err = memoryEntryV2(dir, "memory."); err != nil {
		return err
	}
	swap, err := memoryEntryV2(dir, "memory.swap.")
	if err != nil {
		return err
	}
	st.Memory.Swap = addMemory(swap, st.Memory.Usage)
	return nil
}

// memoryEntryV2 reads <prefix>current, max and peak (Linux 5.19+, may be
// missing). Without swap accounting memory.swap.* do not exist: zeros.
// The memory failcnt is the "max" count of memory.events: how many times
// usage was about to exceed the limit, v1's failcnt in v2 terms.
func memoryEntryV2(dir, prefix string) (MemoryEntry, error) {
	var e MemoryEntry
	var err error
	if e.Usage, err = statUint(dir, prefix+"current"); err != nil {
		if prefix != "memory." && isMissing(err) {
			return MemoryEntry{}, nil
		}
		return MemoryEntry{}, err
	}
	if e.Limit, err = statUint(dir, prefix+"max"); err != nil {
		return MemoryEntry{}, err
	}
	if e.Max, err = statUint(dir, prefix+"peak"); err != nil && !isMissing(err) {
		return MemoryEntry{}, err
	}
	if prefix == "memory." {
		if e.Failcnt, err = statKey(dir, "memory.events", "max"); err != nil && !isMissing(err) {
			return MemoryEntry{}, err
		}
	}
	return e, nil
}

// addMemory turns a v2 swap-only entry into memory+swap; an unlimited
// side keeps the sum unlimited. The peak of the sum is unknown (the two
// peaks need not coincide), so it is left out.
func addMemory(swap, mem MemoryEntry) MemoryEntry {
	swap.Usage += mem.Usage
	swap.Max = 0
	if swap.Limit == math.MaxUint64 || mem.Limit == math.MaxUint64 {
		swap.Limit = math.MaxUint64
	} else {
		swap.Limit += mem.Limit
	}
	return swap
}

// cpuStatsV2 reads cpu.stat: CPU time in microseconds (converted to ns)
// and, with the cpu controller enabled, the throttling counters.
func cpuStatsV2(dir string, st *Stats) error {
	kv, err := statKeyValues(dir, "cpu.stat")
	if isMissing(err) {
		return nil
	}
	if err != nil {
		return err
	}
	st.CPU.Usage.Total = kv["usage_usec"] * 1000
	st.CPU.Usage.User = kv["user_usec"] * 1000
	st.CPU.Usage.Kernel = kv["system_usec"] * 1000
	st.CPU.Throttling = Throttling{
		Periods:          kv["nr_periods"],
		ThrottledPeriods: kv["nr_throttled"],
		ThrottledTime:    kv["throttled_usec"] * 1000,
	}
	return nil
}

// pidsStatsV2 reads pids.current/pids.max; without the pids controller it
// counts the processes of the cgroup tree instead, as runc does.
func pidsStatsV2(dir string, st *Stats) error {
	err := readPidsStats(dir, st)
	if !isMissing(err) {
		return err
	}
	pids, err := pidsBelow(dir)
	if err != nil {
		return err
	}
	st.Pids = PidsStats{Current: uint64(len(pids))}
	return nil
}

// hugetlbStatsV2 reads hugetlb.<size>.current and the "max" count of
// hugetlb.<size>.events (refused allocations). v2 keeps no peak.
func hugetlbStatsV2(dir string, st *Stats) error {
	sizes, err := hugePageSizes()
	if err != nil {
		return err
	}
	for _, size := range sizes {
		prefix := "hugetlb." + size + "."
		usage, err := statUint(dir, prefix+"current")
		if isMissing(err) {
			return nil // no hugetlb controller in this cgroup
		}
		if err != nil {
			return err
		}
		failcnt, err := statKey(dir, prefix+"events", "max")
		if err != nil {
			return err
		}
		st.Hugetlb[size] = HugetlbStats{Usage: usage, Failcnt: failcnt}
	}
	return nil
}
