package cgroups

import (
	"errors"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// cpuFieldV1 names the first linux.resources.cpu field that needs the v1
// cpu controller (cpus and mems belong to cpuset), or "".
func cpuFieldV1(c *specs.LinuxCPU) string {
	if c == nil {
		return ""
	}
	return firstSet(
		named{"cpu.shares", u64(c.Shares) != 0},
		named{"cpu.quota", i64(c.Quota) != 0},
		named{"cpu.period", u64(c.Period) != 0},
		named{"cpu.burst", c.Burst != nil},
		named{"cpu.idle", c.Idle != nil},
		named{"cpu.realtimeRuntime", i64(c.RealtimeRuntime) != 0},
		named{"cpu.realtimePeriod", u64(c.RealtimePeriod) != 0},
	)
}

// setCPUV1 writes linux.resources.cpu to the v1 cpu controller.
func setCPUV1(dir string, c *specs.LinuxCPU) error {
	if c == nil {
		return nil
	}
	if err := setSharesV1(dir, u64(c.Shares)); err != nil {
		return err
	}
	if err := setCFSV1(dir, c); err != nil {
		return err
	}
	if err := setIdleV1(dir, c.Idle); err != nil {
		return err
	}
	return setRealtimeV1(dir, i64(c.RealtimeRuntime), u64(c.RealtimePeriod))
}

// setSharesV1 writes cpu.shares and reads it back: the kernel silently
// clamps out-of-range values, which runc reports as an error.
func setSharesV1(dir string, shares uint64) error {
	if shares == 0 {
		return nil
	}
	if err := writeField("cpu.shares", dir, "cpu.shares", strconv.FormatUint(shares, 10)); err != nil {
		return err
	}
	got, err := readUint(dir, "cpu.shares")
	if err != nil {
		return fieldErrorf("cpu.shares", "read back: %w", err)
	}
	if got != shares {
		return fieldErrorf("cpu.shares", "%d is out of range: the kernel set %d", shares, got)
	}
	return nil
}

// setCFSV1 writes the CFS bandwidth files. The kernel checks each write
// against the values already there (and the parent's quota), so a period
// or burst it rejects with EINVAL is retried after the quota, as runc does.
func setCFSV1(dir string, c *specs.LinuxCPU) error {
	quota := i64(c.Quota)
	period, err := writeRetryable("cpu.period", dir, "cpu.cfs_period_us", u64(c.Period) != 0, strconv.FormatUint(u64(c.Period), 10), quota != 0)
	if err != nil {
		return err
	}
	burst, err := writeBurstV1(dir, c.Burst, quota != 0)
	if err != nil || quota == 0 {
		return err
	}
	if err := writeField("cpu.quota", dir, "cpu.cfs_quota_us", strconv.FormatInt(quota, 10)); err != nil {
		return err
	}
	if period != "" {
		if err := writeField("cpu.period", dir, "cpu.cfs_period_us", period); err != nil {
			return err
		}
	}
	if burst != "" {
		return writeField("cpu.burst", dir, "cpu.cfs_burst_us", burst)
	}
	return nil
}

// writeRetryable writes value when set. If the kernel refuses it with
// EINVAL and canRetry, it returns the value to write again later.
func writeRetryable(field, dir, file string, set bool, value string, canRetry bool) (string, error) {
	if !set {
		return "", nil
	}
	err := writeField(field, dir, file, value)
	if err == nil {
		return "", nil
	}
	if canRetry && errors.Is(err, unix.EINVAL) {
		return value, nil
	}
	return "", err
}

// writeBurstV1 writes cpu.cfs_burst_us. Kernels before 5.14 have no such
// file; runc then ignores the setting, which is logged here.
func writeBurstV1(dir string, burst *uint64, canRetry bool) (string, error) {
	if burst == nil {
		return "", nil
	}
	retry, err := writeRetryable("cpu.burst", dir, "cpu.cfs_burst_us", true, strconv.FormatUint(*burst, 10), canRetry)
	return retry, ignoreUnsupported(err)
}

// setIdleV1 writes cpu.idle where the kernel has it (5.15+); older kernels
// have no SCHED_IDLE groups, so it is ignored there with a warning.
func setIdleV1(dir string, idle *int64) error {
	if idle == nil {
		return nil
	}
	return ignoreUnsupported(writeField("cpu.idle", dir, "cpu.idle", strconv.FormatInt(*idle, 10)))
}

// setRealtimeV1 writes the RT group scheduling budget. Runtime must fit
// in the period, so a period refused with EINVAL is retried after the
// runtime, as runc does.
func setRealtimeV1(dir string, runtime int64, period uint64) error {
	retry, err := writeRetryable("cpu.realtimePeriod", dir, "cpu.rt_period_us", period != 0, strconv.FormatUint(period, 10), runtime != 0)
	if err != nil || runtime == 0 {
		return err
	}
	if err := writeField("cpu.realtimeRuntime", dir, "cpu.rt_runtime_us", strconv.FormatInt(runtime, 10)); err != nil {
		return err
	}
	if retry != "" {
		return writeField("cpu.realtimePeriod", dir, "cpu.rt_period_us", retry)
	}
	return nil
}
