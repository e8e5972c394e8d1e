package cgroups

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// v1 memory control files.
const (
	memLimitFile = "memory.limit_in_bytes"
	memswFile    = "memory.memsw.limit_in_bytes"
	memUsageFile = "memory.usage_in_bytes"
)

// memoryFieldV1 names the first linux.resources.memory field that needs
// the v1 memory controller, or "" when nothing is to be written.
func memoryFieldV1(m *specs.LinuxMemory) string {
	if m == nil {
		return ""
	}
	return firstSet(
		named{"memory.limit", i64(m.Limit) != 0},
		named{"memory.swap", i64(m.Swap) != 0},
		named{"memory.reservation", i64(m.Reservation) != 0},
		named{"memory.swappiness", swappinessSet(m.Swappiness)},
		named{"memory.disableOOMKiller", m.DisableOOMKiller != nil},
		named{"memory.useHierarchy", m.UseHierarchy != nil},
	)
}

// swappinessSet: runc reads a swappiness of -1 (all bits set in the
// spec's uint64) as "leave the kernel's value".
func swappinessSet(p *uint64) bool {
	return p != nil && *p != math.MaxUint64
}

// validateMemoryV1 checks what only v1 uses (v2 ignores swappiness).
func validateMemoryV1(m *specs.LinuxMemory) error {
	if m != nil && swappinessSet(m.Swappiness) && *m.Swappiness > 100 {
		return fieldErrorf("memory.swappiness", "%d is out of range 0-100", *m.Swappiness)
	}
	return nil
}

// setMemoryV1 writes linux.resources.memory on a v1 memory cgroup.
func setMemoryV1(dir string, m *specs.LinuxMemory) error {
	if m == nil {
		return nil
	}
	if isTrue(m.CheckBeforeUpdate) {
		if err := checkBelowUsage(dir, memUsageFile, i64(m.Limit), i64(m.Swap)); err != nil {
			return err
		}
	}
	if err := setMemoryAndSwapV1(dir, i64(m.Limit), i64(m.Swap)); err != nil {
		return err
	}
	return setMemoryExtrasV1(dir, m)
}

// setMemoryAndSwapV1 writes memory.limit_in_bytes and
// memory.memsw.limit_in_bytes (memory+swap) in an order the kernel
// accepts: it refuses memsw < limit at every step, so when raising, memsw
// goes first, and when lowering, the limit goes first (as runc does).
func setMemoryAndSwapV1(dir string, limit, swap int64) error {
	if limit == -1 && swap == 0 && fileExists(dir, memswFile) {
		swap = -1 // unlimited memory with swap unset: unlimited swap too, as runc
	}
	if limit != 0 && swap != 0 {
		cur, err := readUint(dir, memLimitFile)
		if err != nil {
			return fieldErrorf("memory.limit", "read current limit: %w", err)
		}
		if swap == -1 || cur < uint64(swap) { // raising
			if err := writeSwapV1(dir, swap); err != nil {
				return err
			}
			return writeMemoryLimitV1(dir, limit)
		}
	}
	if err := writeMemoryLimitV1(dir, limit); err != nil {
		return err
	}
	return writeSwapV1(dir, swap)
}

// writeMemoryLimitV1 writes the limit; -1 is v1's unlimited. EBUSY means
// the new limit is below what the cgroup uses, which the error says.
func writeMemoryLimitV1(dir string, limit int64) error {
	if limit == 0 {
		return nil
	}
	err := writeField("memory.limit", dir, memLimitFile, strconv.FormatInt(limit, 10))
	if err != nil && errors.Is(err, unix.EBUSY) {
		if usage, uerr := readUint(dir, memUsageFile); uerr == nil {
			return fmt.Errorf("%w (current usage %d bytes)", err, usage)
		}
	}
	return err
}

func writeSwapV1(dir string, swap int64) error {
	if swap == 0 {
		return nil
	}
	return writeField("memory.swap", dir, memswFile, strconv.FormatInt(swap, 10))
}

// setMemoryExtrasV1 writes the fields that do not interact with the limit.
// kernel and kernelTCP only get a warning (see warnIgnoredMemory).
func setMemoryExtrasV1(dir string, m *specs.LinuxMemory) error {
	if r := i64(m.Reservation); r != 0 {
		if err := writeField("memory.reservation", dir, "memory.soft_limit_in_bytes", strconv.FormatInt(r, 10)); err != nil {
			return err
		}
	}
	if m.DisableOOMKiller != nil {
		if err := writeField("memory.disableOOMKiller", dir, "memory.oom_control", boolDigit(*m.DisableOOMKiller)); err != nil {
			return err
		}
	}
	if swappinessSet(m.Swappiness) {
		if err := writeField("memory.swappiness", dir, "memory.swappiness", strconv.FormatUint(*m.Swappiness, 10)); err != nil {
			return err
		}
	}
	if m.UseHierarchy != nil {
		// Since Linux 5.16 hierarchy is always on and writing 0 fails.
		return writeField("memory.useHierarchy", dir, "memory.use_hierarchy", boolDigit(*m.UseHierarchy))
	}
	return nil
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
