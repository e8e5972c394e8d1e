package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// setHugetlbV2 writes hugetlb.<size>.max (and .rsvd.max). It also serves
// hybrid hosts, where hugetlb often lives only on the unified hierarchy.
func setHugetlbV2(u *unifiedCgroup, limits []specs.LinuxHugepageLimit) error {
	return writeHugepageLimits(limits, ".max", u.write)
}
