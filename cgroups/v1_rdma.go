package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// setRdmaV1 writes rdma.max in the v1 rdma hierarchy (same format as v2).
func setRdmaV1(dir string, rdma map[string]specs.LinuxRdma) error {
	return setRdma(rdma, func(field, file, value string) error {
		return writeField(field, dir, file, value)
	})
}
