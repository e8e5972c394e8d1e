package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// setPidsV2 writes pids.max; -1 (any negative) is "max", 0 is unset.
func setPidsV2(u *unifiedCgroup, p *specs.LinuxPids) error {
	if !pidsLimitSet(p) {
		return nil
	}
	return u.write("pids.limit", "pids.max", pidsValue(*p.Limit))
}
