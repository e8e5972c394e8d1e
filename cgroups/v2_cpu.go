package cgroups

import (
	"errors"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// setCPUV2 writes linux.resources.cpu on cgroup v2: shares -> cpu.weight
// (converted), quota/period -> cpu.max, burst -> cpu.max.burst, idle ->
// cpu.idle. Real-time settings are refused before any write.
func setCPUV2(u *unifiedCgroup, c *specs.LinuxCPU) error {
	if c == nil {
		return nil
	}
	if w := cpuSharesToWeight(u64(c.Shares)); w != 0 {
		if err := u.write("cpu.shares", "cpu.weight", strconv.FormatUint(w, 10)); err != nil {
			return err
		}
	}
	if err := setCPUMaxV2(u, c); err != nil {
		return err
	}
	if c.Idle != nil {
		return u.write("cpu.idle", "cpu.idle", strconv.FormatInt(*c.Idle, 10))
	}
	return nil
}

// setCPUMaxV2 writes the burst, then cpu.max. As on v1, a burst the
// kernel refuses against the old quota (EINVAL) is retried after the new
// quota, and a kernel without cpu.max.burst (before 5.14) ignores it.
func setCPUMaxV2(u *unifiedCgroup, c *specs.LinuxCPU) error {
	quota, period := i64(c.Quota), u64(c.Period)
	var retryBurst string
	if c.Burst != nil {
		burst := strconv.FormatUint(*c.Burst, 10)
		err := ignoreUnsupported(u.write("cpu.burst", "cpu.max.burst", burst))
		switch {
		case err != nil && quota != 0 && errors.Is(err, unix.EINVAL):
			retryBurst = burst
		case err != nil:
			return err
		}
	}
	if quota == 0 && period == 0 {
		return nil
	}
	if err := u.write(cpuMaxField(quota), "cpu.max", cpuMaxValue(quota, period)); err != nil {
		return err
	}
	if retryBurst != "" {
		return u.write("cpu.burst", "cpu.max.burst", retryBurst)
	}
	return nil
}

func cpuMaxField(quota int64) string {
	if quota != 0 {
		return "cpu.quota"
	}
	return "cpu.period"
}

// setCpusetV2 writes cpuset.cpus/mems (the v2 cpuset controller).
func setCpusetV2(u *unifiedCgroup, c *specs.LinuxCPU) error {
	if c == nil {
		return nil
	}
	if c.Cpus != "" {
		if err := u.write("cpu.cpus", "cpuset.cpus", c.Cpus); err != nil {
			return err
		}
	}
	if c.Mems != "" {
		return u.write("cpu.mems", "cpuset.mems", c.Mems)
	}
	return nil
}
