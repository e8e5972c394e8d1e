package initproc

import (
	"slices"
	"testing"
)

func TestProgramPaths(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		want []string
	}{
		{"/bin/sh", []string{"PATH=/usr/bin"}, []string{"/bin/sh"}},
		{"./run", nil, []string{"./run"}},
		{"sh", []string{"PATH=/usr/bin:/bin"}, []string{"/usr/bin/sh", "/bin/sh"}},
		// The last PATH wins; an empty entry is the cwd.
		{"sh", []string{"PATH=/x", "PATH=/sbin::/bin/"}, []string{"/sbin/sh", "sh", "/bin/sh"}},
		{"sh", []string{"HOME=/"}, nil},
	}
	for _, c := range cases {
		if got := ProgramPaths(c.name, c.env); !slices.Equal(got, c.want) {
			t.Errorf("ProgramPaths(%q, %q) = %q, want %q", c.name, c.env, got, c.want)
		}
	}
}
