package cgroups

// Stats is a snapshot of a container's cgroup statistics. Its JSON form is
// the "data" of runc's stats events (runc's types.Stats, minus the Intel
// RDT and network sections that libcontainer adds): tools parse those
// field names, so they must not change. Numbers the host cannot provide
// stay zero and, where runc marks them omitempty, are left out.
type Stats struct {
	CPU    CPUStats    `json:"cpu"`
	CPUSet CPUSetStats `json:"cpuset"`
	Memory MemoryStats `json:"memory"`
	Pids   PidsStats   `json:"pids"`
	Blkio  BlkioStats  `json:"blkio"`
	// Hugetlb is keyed by page size as the kernel names it ("2MB", "1GB").
	Hugetlb map[string]HugetlbStats `json:"hugetlb"`
}

// CPUStats is CPU time used and CFS throttling.
type CPUStats struct {
	Usage      CPUUsage   `json:"usage"`
	Throttling Throttling `json:"throttling"`
}

// CPUUsage is CPU time in nanoseconds. The per-CPU lists exist on v1 only
// (cpuacct); Kernel and User come from cpuacct.stat (v1, USER_HZ ticks
// converted) or cpu.stat (v2).
type CPUUsage struct {
	Total        uint64   `json:"total,omitempty"`
	PerCPU       []uint64 `json:"percpu,omitempty"`
	PerCPUKernel []uint64 `json:"percpu_kernel,omitempty"`
	PerCPUUser   []uint64 `json:"percpu_user,omitempty"`
	Kernel       uint64   `json:"kernel"`
	User         uint64   `json:"user"`
}

// Throttling is the CFS bandwidth accounting: enforcement periods elapsed,
// periods in which the cgroup was throttled, and total throttled time (ns).
// runc's events use camelCase here, unlike elsewhere.
type Throttling struct {
	Periods          uint64 `json:"periods,omitempty"`
	ThrottledPeriods uint64 `json:"throttledPeriods,omitempty"`
	ThrottledTime    uint64 `json:"throttledTime,omitempty"`
}

// CPUSetStats is the v1 cpuset configuration in force (runc reports none
// on v2).
type CPUSetStats struct {
	CPUs                  []uint16 `json:"cpus,omitempty"`
	CPUExclusive          uint64   `json:"cpu_exclusive"`
	Mems                  []uint16 `json:"mems,omitempty"`
	MemHardwall           uint64   `json:"mem_hardwall"`
	MemExclusive          uint64   `json:"mem_exclusive"`
	MemoryMigrate         uint64   `json:"memory_migrate"`
	MemorySpreadPage      uint64   `json:"memory_spread_page"`
	MemorySpreadSlab      uint64   `json:"memory_spread_slab"`
	MemoryPressure        uint64   `json:"memory_pressure"`
	SchedLoadBalance      uint64   `json:"sched_load_balance"`
	SchedRelaxDomainLevel int64    `json:"sched_relax_domain_level"`
}

// MemoryStats is memory use in bytes. Swap is memory+swap on both versions
// (v1's memsw meaning; on v2 the memory figures are added, as runc does).
// Kernel and KernelTCP exist on v1 only. Raw is memory.stat as it reads.
type MemoryStats struct {
	Cache     uint64            `json:"cache,omitempty"`
	Usage     MemoryEntry       `json:"usage"`
	Swap      MemoryEntry       `json:"swap"`
	Kernel    MemoryEntry       `json:"kernel"`
	KernelTCP MemoryEntry       `json:"kernelTCP"`
	Raw       map[string]uint64 `json:"raw,omitempty"`
}

// MemoryEntry is one memory counter: its limit (math.MaxUint64 or the
// kernel's page-rounded maximum when unlimited), current usage, peak usage
// and how many times the limit was hit.
type MemoryEntry struct {
	Limit   uint64 `json:"limit"`
	Usage   uint64 `json:"usage,omitempty"`
	Max     uint64 `json:"max,omitempty"`
	Failcnt uint64 `json:"failcnt"`
}

// PidsStats is the number of tasks and the pids limit (0: no limit).
type PidsStats struct {
	Current uint64 `json:"current,omitempty"`
	Limit   uint64 `json:"limit,omitempty"`
}

// BlkioStats is block I/O per device. Each list holds the lines of one
// kernel file; which lists are filled depends on the I/O scheduler (v1)
// or is io.stat's bytes and operations (v2).
type BlkioStats struct {
	IoServiceBytesRecursive []BlkioEntry `json:"ioServiceBytesRecursive,omitempty"`
	IoServicedRecursive     []BlkioEntry `json:"ioServicedRecursive,omitempty"`
	IoQueuedRecursive       []BlkioEntry `json:"ioQueueRecursive,omitempty"`
	IoServiceTimeRecursive  []BlkioEntry `json:"ioServiceTimeRecursive,omitempty"`
	IoWaitTimeRecursive     []BlkioEntry `json:"ioWaitTimeRecursive,omitempty"`
	IoMergedRecursive       []BlkioEntry `json:"ioMergedRecursive,omitempty"`
	IoTimeRecursive         []BlkioEntry `json:"ioTimeRecursive,omitempty"`
	SectorsRecursive        []BlkioEntry `json:"sectorsRecursive,omitempty"`
}

// BlkioEntry is one device's counter; Op is "Read", "Write", "Sync",
// "Async", "Discard" or "Total", or empty for files without operations.
type BlkioEntry struct {
	Major uint64 `json:"major,omitempty"`
	Minor uint64 `json:"minor,omitempty"`
	Op    string `json:"op,omitempty"`
	Value uint64 `json:"value,omitempty"`
}

// HugetlbStats is one huge page size's usage in bytes, its peak (v1 only)
// and how many allocations the limit refused.
type HugetlbStats struct {
	Usage   uint64 `json:"usage,omitempty"`
	Max     uint64 `json:"max,omitempty"`
	Failcnt uint64 `json:"failcnt"`
}

// newStats returns empty stats with the maps allocated, so that an empty
// section prints as {} like runc's.
func newStats() *Stats {
	return &Stats{Hugetlb: map[string]HugetlbStats{}}
}
