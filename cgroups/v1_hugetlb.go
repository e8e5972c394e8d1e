package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// setHugetlbV1 writes hugetlb.<size>.limit_in_bytes in a v1 hugetlb
// hierarchy. A page size the host does not have is a missing file, and
// so an error naming the field.
func setHugetlbV1(dir string, limits []specs.LinuxHugepageLimit) error {
	return writeHugepageLimits(limits, ".limit_in_bytes", func(field, file, value string) error {
		return writeField(field, dir, file, value)
	})
}
