package cgroups

import (
	"errors"
	"fmt"
	"strconv"
)

// The v1 -> v2 conversions below are the ones runc documents and uses, so
// that a config gives the same relative limits with either runtime.

// Range of v1 cpu.shares the kernel accepts (it clamps to it).
const (
	minCPUShares = 2
	maxCPUShares = 262144
)

// cpuSharesToWeight maps cpu.shares [2, 262144] linearly onto cpu.weight
// [1, 10000]: weight = 1 + ((shares-2)*9999)/262142, so the v1 default of
// 1024 becomes 39. 0 stays 0 (unset). Shares outside the range are clamped
// first, as the v1 kernel does; runc's formula would underflow below 2.
func cpuSharesToWeight(shares uint64) uint64 {
	if shares == 0 {
		return 0
	}
	shares = min(max(shares, minCPUShares), maxCPUShares)
	return 1 + ((shares-minCPUShares)*9999)/(maxCPUShares-minCPUShares)
}

// blkioWeightToIOWeight maps blkio.weight [10, 1000] linearly onto
// io.weight [1, 10000]: 1 + (weight-10)*9999/990. It is only used when
// io.bfq.weight is missing: BFQ takes the v1 scale as is. 0 stays 0
// (unset); validation keeps weights at 10 or more.
func blkioWeightToIOWeight(weight uint16) uint64 {
	if weight == 0 {
		return 0
	}
	return 1 + (uint64(weight)-10)*9999/990
}

// memorySwapToV2 turns linux.resources.memory.swap, which is v1's
// memory+swap total (memory.memsw.limit_in_bytes), into v2's swap-only
// memory.swap.max = swap - memory. -1 stays -1 (max) and 0 stays 0
// (unset). As in v1, memory unlimited (-1) with swap unset means swap
// unlimited too.
func memorySwapToV2(swap, memory int64) (int64, error) {
	if memory == -1 && swap == 0 {
		return -1, nil
	}
	if swap == -1 || swap == 0 {
		return swap, nil
	}
	if memory == 0 || memory == -1 {
		return 0, errors.New("a swap limit needs a memory limit")
	}
	if memory < 0 {
		return 0, fmt.Errorf("invalid memory limit %d", memory)
	}
	if swap < memory {
		return 0, fmt.Errorf("swap (memory+swap total, %d) must be >= memory limit (%d)", swap, memory)
	}
	return swap - memory, nil
}

// v2Number renders a value for v2 ".max"/".low" style files: 0 is unset
// (nothing to write), -1 (any negative) is "max".
func v2Number(v int64) string {
	switch {
	case v == 0:
		return ""
	case v < 0:
		return "max"
	}
	return strconv.FormatInt(v, 10)
}

// pidsValue renders a pids limit; negative means unlimited.
func pidsValue(limit int64) string {
	if limit < 0 {
		return "max"
	}
	return strconv.FormatInt(limit, 10)
}

// cpuMaxValue renders v2 cpu.max from v1 cfs quota and period: "max" for
// no quota (0 or -1), and the period appended only when given, since the
// kernel keeps the current period otherwise.
func cpuMaxValue(quota int64, period uint64) string {
	s := "max"
	if quota > 0 {
		s = strconv.FormatInt(quota, 10)
	}
	if period != 0 {
		s += " " + strconv.FormatUint(period, 10)
	}
	return s
}
