package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// v1Step writes one controller's part of linux.resources.
type v1Step struct {
	ctrl  string // key in the manager's paths; "" is the cgroup2 hierarchy
	field string // first field that needs ctrl; "" means nothing to write
	write func(dir string) error
}

// Set writes every linux.resources field. Hierarchies are visited in
// runc's order (cpuset, devices, memory, cpu, pids, blkio, hugetlb,
// net_cls, net_prio, rdma); the named name=systemd hierarchy holds no
// limits and is never written. All checks that need no kernel come first,
// and a controller a set field needs but the host lacks fails the whole
// Set before anything is written.
func (m *v1Manager) Set(r *specs.LinuxResources) error {
	if r == nil {
		return nil
	}
	if err := validateResources(r); err != nil {
		return err
	}
	if err := validateMemoryV1(r.Memory); err != nil {
		return err
	}
	warnIgnoredMemory(r.Memory)
	steps := m.steps(r)
	for _, s := range steps {
		if err := m.checkMounted(s); err != nil {
			return err
		}
	}
	for _, s := range steps {
		if s.field == "" {
			continue
		}
		if err := s.write(m.paths[s.ctrl]); err != nil {
			return err
		}
	}
	return nil
}

func (m *v1Manager) steps(r *specs.LinuxResources) []v1Step {
	return []v1Step{
		{"cpuset", cpusetField(r.CPU), func(d string) error { return setCpusetV1(d, r.CPU) }},
		{"devices", firstSet(named{"devices", len(r.Devices) > 0}), func(d string) error { return setDevicesV1(d, r.Devices) }},
		{"memory", memoryFieldV1(r.Memory), func(d string) error { return setMemoryV1(d, r.Memory) }},
		{"cpu", cpuFieldV1(r.CPU), func(d string) error { return setCPUV1(d, r.CPU) }},
		{"pids", pidsField(r.Pids), func(d string) error { return setPidsV1(d, r.Pids) }},
		{"blkio", blockIOField(r.BlockIO), func(d string) error { return setBlkioV1(d, r.BlockIO) }},
		m.hugetlbStep(r.HugepageLimits),
		{"net_cls", netClsField(r.Network), func(d string) error { return setNetClsV1(d, r.Network) }},
		{"net_prio", netPrioField(r.Network), func(d string) error { return setNetPrioV1(d, r.Network) }},
		{"rdma", rdmaField(r.Rdma), func(d string) error { return setRdmaV1(d, r.Rdma) }},
		unifiedStep(r.Unified),
	}
}

// hugetlbStep uses a v1 hugetlb hierarchy when there is one; hybrid hosts
// often have hugetlb only on the unified hierarchy, so that is used next.
func (m *v1Manager) hugetlbStep(limits []specs.LinuxHugepageLimit) v1Step {
	field := hugepageField(limits)
	_, v1 := m.paths["hugetlb"]
	_, unified := m.paths[""]
	if !v1 && unified {
		return v1Step{"", field, func(d string) error { return setHugetlbV2(newUnifiedCgroup(d), limits) }}
	}
	return v1Step{"hugetlb", field, func(d string) error { return setHugetlbV1(d, limits) }}
}

// unifiedStep writes linux.resources.unified into the cgroup2 hierarchy of
// a hybrid host. runc refuses unified on any non-v2 host; ocirun follows
// the spec's wording instead ("unified" names cgroup2 files) where a
// cgroup2 hierarchy exists, and refuses it only on pure v1.
func unifiedStep(unified map[string]string) v1Step {
	field := firstSet(named{"unified", len(unified) > 0})
	return v1Step{"", field, func(d string) error { return setUnified(newUnifiedCgroup(d), unified) }}
}

// checkMounted fails when a set field needs a hierarchy the host lacks.
func (m *v1Manager) checkMounted(s v1Step) error {
	if s.field == "" {
		return nil
	}
	if _, ok := m.paths[s.ctrl]; ok {
		return nil
	}
	if s.ctrl == "" {
		return fieldErrorf(s.field, "not supported on cgroup v1")
	}
	return fieldErrorf(s.field, "%s controller not mounted on this host", s.ctrl)
}
