package seccomp

import (
	"slices"
	"testing"
)

func TestFeatures(t *testing.T) {
	f := Features()
	if f.Enabled == nil || !*f.Enabled {
		t.Error("Enabled is not true")
	}
	checks := []struct {
		field string
		list  []string
		want  string
	}{
		{"actions", f.Actions, "SCMP_ACT_NOTIFY"},
		{"actions", f.Actions, "SCMP_ACT_KILL_PROCESS"},
		{"operators", f.Operators, "SCMP_CMP_MASKED_EQ"},
		{"archs", f.Archs, "SCMP_ARCH_X86_64"},
		{"knownFlags", f.KnownFlags, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"},
		// Linux 4.14+: every kernel ocirun runs on has these.
		{"supportedFlags", f.SupportedFlags, "SECCOMP_FILTER_FLAG_LOG"},
		{"supportedFlags", f.SupportedFlags, "SECCOMP_FILTER_FLAG_TSYNC"},
	}
	for _, c := range checks {
		if !slices.Contains(c.list, c.want) {
			t.Errorf("%s %v lacks %s", c.field, c.list, c.want)
		}
	}
	if len(f.Actions) != 9 || len(f.Operators) != 7 || len(f.KnownFlags) != 4 {
		t.Errorf("actions %d, operators %d, known flags %d; want 9, 7, 4", len(f.Actions), len(f.Operators), len(f.KnownFlags))
	}
	for _, fl := range f.SupportedFlags {
		if !slices.Contains(f.KnownFlags, fl) {
			t.Errorf("supported flag %s is not a known flag", fl)
		}
	}
	// A flag the kernel does not know must not be reported supported.
	if kernelAcceptsFlags(1 << 30) {
		t.Error("kernelAcceptsFlags accepted an undefined flag")
	}
}
