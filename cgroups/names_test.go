package cgroups

import (
	"regexp"
	"testing"
)

// The hand-written matchers must accept exactly what the patterns they
// replace (kept here as the reference) accept.
func TestNameMatchersAgreeWithPatterns(t *testing.T) {
	cases := []struct {
		name    string
		pattern *regexp.Regexp
		match   func(string) bool
		inputs  []string
	}{
		{"pageSize", regexp.MustCompile(`^[1-9][0-9]*[KMG]B$`), isPageSize, []string{
			"2MB", "1GB", "64KB", "16384KB", "0MB", "02MB", "MB", "2TB", "2Mb", "2M", "2MB/../x", "", "1B", "10GB", "9KB ",
		}},
		{"unifiedKey", regexp.MustCompile(`^[a-z][a-z0-9_]*\.[A-Za-z0-9_.-]+$`), isUnifiedKey, []string{
			"memory.max", "io.max", "cpu.weight.nice", "hugetlb.2MB.max", "memory_x.y", "a1.b-c_d",
			"Memory.max", "1memory.max", "memory", ".max", "memory.", "memory./", "memory.a/b", "../memory.max",
			"memory..max", "", "m.x y",
		}},
	}
	for _, c := range cases {
		for _, in := range c.inputs {
			if got, want := c.match(in), c.pattern.MatchString(in); got != want {
				t.Errorf("%s(%q) = %v, the pattern says %v", c.name, in, got, want)
			}
		}
	}
}
