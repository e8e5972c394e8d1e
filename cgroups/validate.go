package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// validateResources checks what can be checked without the kernel, on
// both versions, so that a bad value fails before anything is written
// rather than leaving a half-applied set of limits.
func validateResources(r *specs.LinuxResources) error {
	if _, err := parseDeviceRules(r.Devices); err != nil {
		return err
	}
	if err := validateBlockIO(r.BlockIO); err != nil {
		return err
	}
	if err := validateHugepages(r.HugepageLimits); err != nil {
		return err
	}
	if err := validateNetwork(r.Network); err != nil {
		return err
	}
	if err := validateRdma(r.Rdma); err != nil {
		return err
	}
	return validateUnified(r.Unified)
}

// rejectUnsupportedV2 fails on fields cgroup v2 has no equivalent for and
// that cannot be ignored without weakening what the config asks.
func rejectUnsupportedV2(r *specs.LinuxResources) error {
	unsupported := []named{
		{"network.classID", netClsField(r.Network) != ""},
		{"network.priorities", netPrioField(r.Network) != ""},
		{"memory.disableOOMKiller", r.Memory != nil && isTrue(r.Memory.DisableOOMKiller)},
		{"cpu.realtimeRuntime", r.CPU != nil && i64(r.CPU.RealtimeRuntime) != 0},
		{"cpu.realtimePeriod", r.CPU != nil && u64(r.CPU.RealtimePeriod) != 0},
	}
	if field := firstSet(unsupported...); field != "" {
		return fieldErrorf(field, "not supported on cgroup v2")
	}
	return nil
}
