package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// setRdmaV2 writes rdma.max lines in the unified cgroup.
func setRdmaV2(u *unifiedCgroup, rdma map[string]specs.LinuxRdma) error {
	return setRdma(rdma, u.write)
}
