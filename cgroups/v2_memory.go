package cgroups

import (
	"errors"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// setMemoryV2 writes linux.resources.memory on cgroup v2, with runc's
// conversions: limit -> memory.max, reservation -> memory.low, swap
// (memory+swap total) -> memory.swap.max = swap - limit. v2 memory is
// always hierarchical and has no per-cgroup swappiness: those fields are
// ignored with a warning; disableOOMKiller is refused before any write.
func setMemoryV2(u *unifiedCgroup, m *specs.LinuxMemory) error {
	if m == nil {
		return nil
	}
	warnIgnoredMemoryV2(m)
	limit, swap := i64(m.Limit), i64(m.Swap)
	if isTrue(m.CheckBeforeUpdate) {
		if err := checkBelowUsage(u.dir, "memory.current", limit, swap); err != nil {
			return err
		}
	}
	if err := setSwapV2(u, limit, swap); err != nil {
		return err
	}
	if v := v2Number(limit); v != "" {
		if err := u.write("memory.limit", "memory.max", v); err != nil {
			return err
		}
	}
	if v := v2Number(i64(m.Reservation)); v != "" {
		return u.write("memory.reservation", "memory.low", v)
	}
	return nil
}

// setSwapV2 writes memory.swap.max. Swap equal to the limit means "no
// swap": 0 is then written, never an empty string. Without swap
// accounting the file is missing; like runc, "max" and "0" are then
// silently skipped, since they ask for nothing the host could do.
func setSwapV2(u *unifiedCgroup, limit, swap int64) error {
	v2swap, err := memorySwapToV2(swap, limit)
	if err != nil {
		return fieldErrorf("memory.swap", "%w", err)
	}
	value := v2Number(v2swap)
	if value == "" && swap > 0 {
		value = "0"
	}
	if value == "" {
		return nil
	}
	err = u.write("memory.swap", "memory.swap.max", value)
	if errors.Is(err, errNotSupported) && (value == "max" || value == "0") {
		return nil
	}
	return err
}

func warnIgnoredMemoryV2(m *specs.LinuxMemory) {
	if swappinessSet(m.Swappiness) {
		warnField("memory.swappiness", "ignored: cgroup v2 has no per-cgroup swappiness")
	}
	if m.UseHierarchy != nil && !*m.UseHierarchy {
		warnField("memory.useHierarchy", "ignored: cgroup v2 memory accounting is always hierarchical")
	}
}
