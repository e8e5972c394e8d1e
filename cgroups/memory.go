package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// checkBelowUsage implements memory.checkBeforeUpdate: refuse a limit at
// or below what the cgroup currently uses, instead of letting the kernel
// reclaim or OOM-kill. Like runc it is best effort: an unreadable usage
// (no cgroup yet) skips the check.
func checkBelowUsage(dir, usageFile string, limit, swap int64) error {
	usage, err := readUint(dir, usageFile)
	if err != nil {
		return nil
	}
	if swap > 0 && uint64(swap) <= usage {
		return fieldErrorf("memory.swap", "%d is not above the current usage %d (memory.checkBeforeUpdate)", swap, usage)
	}
	if limit > 0 && uint64(limit) <= usage {
		return fieldErrorf("memory.limit", "%d is not above the current usage %d (memory.checkBeforeUpdate)", limit, usage)
	}
	return nil
}

// warnIgnoredMemory: kernel memory limits are obsolete (Linux 5.4 dropped
// their enforcement, cgroup v2 never had them); runc accepts and ignores
// them, so they are accepted with a warning on both versions.
func warnIgnoredMemory(m *specs.LinuxMemory) {
	if m == nil {
		return
	}
	if m.Kernel != nil {
		warnField("memory.kernel", "ignored: kernel memory limits are not supported by the kernel any more")
	}
	if m.KernelTCP != nil {
		warnField("memory.kernelTCP", "ignored: kernel memory limits are not supported by the kernel any more")
	}
}
