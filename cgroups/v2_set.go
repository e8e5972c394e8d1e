package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Set writes every linux.resources field in runc's v2 order (pids, memory,
// io, cpu, devices, cpuset, hugetlb, rdma, unified). Each write first
// enables its controller in the ancestors' cgroup.subtree_control. Fields
// v2 cannot honour are refused before anything is written.
func (m *v2Manager) Set(r *specs.LinuxResources) error {
	if r == nil {
		return nil
	}
	dir, err := m.dir()
	if err != nil {
		return err
	}
	if err := validateResources(r); err != nil {
		return err
	}
	if err := rejectUnsupportedV2(r); err != nil {
		return err
	}
	warnIgnoredMemory(r.Memory)
	u := newUnifiedCgroup(dir)
	steps := []func() error{
		func() error { return setPidsV2(u, r.Pids) },
		func() error { return setMemoryV2(u, r.Memory) },
		func() error { return setIOV2(u, r.BlockIO) },
		func() error { return setCPUV2(u, r.CPU) },
		func() error { return setDevicesV2(dir, r.Devices) },
		func() error { return setCpusetV2(u, r.CPU) },
		func() error { return setHugetlbV2(u, r.HugepageLimits) },
		func() error { return setRdmaV2(u, r.Rdma) },
		func() error { return setUnified(u, r.Unified) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
