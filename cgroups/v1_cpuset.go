package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// setCpusetV1 writes linux.resources.cpu.cpus/mems. The cgroup already
// has its parent's sets (Apply copies them), so unset means inherited.
func setCpusetV1(dir string, c *specs.LinuxCPU) error {
	if c == nil {
		return nil
	}
	if c.Cpus != "" {
		if err := writeField("cpu.cpus", dir, "cpuset.cpus", c.Cpus); err != nil {
			return err
		}
	}
	if c.Mems != "" {
		return writeField("cpu.mems", dir, "cpuset.mems", c.Mems)
	}
	return nil
}

func cpusetField(c *specs.LinuxCPU) string {
	if c == nil {
		return ""
	}
	return firstSet(named{"cpu.cpus", c.Cpus != ""}, named{"cpu.mems", c.Mems != ""})
}
