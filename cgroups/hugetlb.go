package cgroups

import (
	"errors"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// isPageSize matches the kernel's hugetlb file naming, [1-9][0-9]*[KMG]B
// ("64KB", "2MB", "1GB"). It also keeps the size from carrying a path into
// a file name.
func isPageSize(s string) bool {
	n := len(s)
	if n < 3 || s[0] < '1' || s[0] > '9' || s[n-1] != 'B' || !strings.ContainsRune("KMG", rune(s[n-2])) {
		return false
	}
	for i := 1; i < n-2; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func hugepageField(limits []specs.LinuxHugepageLimit) string {
	return firstSet(named{"hugepageLimits", len(limits) > 0})
}

func validateHugepages(limits []specs.LinuxHugepageLimit) error {
	for i, l := range limits {
		if !isPageSize(l.Pagesize) {
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
