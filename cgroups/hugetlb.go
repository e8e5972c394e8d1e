package cgroups

import (
	"errors"
	"regexp"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// pageSizePattern is the kernel's hugetlb file naming ("64KB", "2MB",
// "1GB"). It also keeps the size from carrying a path into a file name.
var pageSizePattern = regexp.MustCompile(`^[1-9][0-9]*[KMG]B$`)

func hugepageField(limits []specs.LinuxHugepageLimit) string {
	return firstSet(named{"hugepageLimits", len(limits) > 0})
}

func validateHugepages(limits []specs.LinuxHugepageLimit) error {
	for i, l := range limits {
		if !pageSizePattern.MatchString(l.Pagesize) {
			return fieldErrorf(indexed("hugepageLimits", i)+".pageSize", "%q is not a size like 2MB or 1GB", l.Pagesize)
		}
	}
	return nil
}

// writeHugepageLimits writes each limit to hugetlb.<size><suffix> and, as
// runc does, the same value to the reservation file
// hugetlb.<size>.rsvd<suffix> (Linux 5.7+), so that reserved but not yet
// faulted pages count too. Without rsvd files only usage is limited.
func writeHugepageLimits(limits []specs.LinuxHugepageLimit, suffix string, write func(field, file, value string) error) error {
	skipRsvd := false
	for i, l := range limits {
		field := indexed("hugepageLimits", i)
		prefix := "hugetlb." + l.Pagesize
		value := strconv.FormatUint(l.Limit, 10)
		if err := write(field, prefix+suffix, value); err != nil {
			return err
		}
		if skipRsvd {
			continue
		}
		err := write(field, prefix+".rsvd"+suffix, value)
		if errors.Is(err, errNotSupported) {
			skipRsvd = true
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}
