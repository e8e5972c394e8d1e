package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// pidsLimitSet: a pids limit of 0 means unset, as in runc.
func pidsLimitSet(p *specs.LinuxPids) bool {
	return p != nil && i64(p.Limit) != 0
}

func pidsField(p *specs.LinuxPids) string {
	return firstSet(named{"pids.limit", pidsLimitSet(p)})
}

// setPidsV1 writes pids.max; -1 (any negative) is "max".
func setPidsV1(dir string, p *specs.LinuxPids) error {
	if !pidsLimitSet(p) {
		return nil
	}
	return writeField("pids.limit", dir, "pids.max", pidsValue(*p.Limit))
}
