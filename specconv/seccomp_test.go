package specconv

import (
	"reflect"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func uintPtr(v uint) *uint { return &v }

func TestConvertSeccomp(t *testing.T) {
	spec := Example()
	spec.Linux.Seccomp = &specs.LinuxSeccomp{
		DefaultAction:    specs.ActErrno,
		DefaultErrnoRet:  uintPtr(1),
		Architectures:    []specs.Arch{specs.ArchX86_64, specs.ArchX86},
		Flags:            []specs.LinuxSeccompFlag{specs.LinuxSeccompFlagLog},
		ListenerPath:     "/run/agent.sock",
		ListenerMetadata: "meta",
		Syscalls: []specs.LinuxSyscall{
			{Names: []string{"read", "write"}, Action: specs.ActAllow},
			{Names: []string{"mkdir"}, Action: specs.ActNotify},
			{Names: []string{"personality"}, Action: specs.ActErrno, ErrnoRet: uintPtr(38),
				Args: []specs.LinuxSeccompArg{{Index: 0, Value: 0xff, ValueTwo: 8, Op: specs.OpMaskedEqual}}},
		},
	}
	cfg, _, err := Convert(spec, Options{ID: "test", Bundle: newBundle(t)})
	if err != nil {
		t.Fatal(err)
	}
	want := &configs.Seccomp{
		DefaultAction:    "SCMP_ACT_ERRNO",
		DefaultErrnoRet:  uintPtr(1),
		Architectures:    []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"},
		Flags:            []string{"SECCOMP_FILTER_FLAG_LOG"},
		ListenerPath:     "/run/agent.sock",
		ListenerMetadata: "meta",
		Syscalls: []configs.SeccompSyscall{
			{Names: []string{"read", "write"}, Action: "SCMP_ACT_ALLOW"},
			{Names: []string{"mkdir"}, Action: "SCMP_ACT_NOTIFY"},
			{Names: []string{"personality"}, Action: "SCMP_ACT_ERRNO", ErrnoRet: uintPtr(38),
				Args: []configs.SeccompArg{{Index: 0, Value: 0xff, ValueTwo: 8, Op: "SCMP_CMP_MASKED_EQ"}}},
		},
	}
	if !reflect.DeepEqual(cfg.Seccomp, want) {
		t.Fatalf("converted\n%+v\nwant\n%+v", cfg.Seccomp, want)
	}
	// The config is a copy: changing the spec afterwards changes nothing.
	*spec.Linux.Seccomp.DefaultErrnoRet = 5
	spec.Linux.Seccomp.Syscalls[0].Names[0] = "open"
	if *cfg.Seccomp.DefaultErrnoRet != 1 || cfg.Seccomp.Syscalls[0].Names[0] != "read" {
		t.Fatal("the converted config shares memory with the spec")
	}
}

func TestConvertNoSeccomp(t *testing.T) {
	cfg, _, err := Convert(Example(), Options{ID: "test", Bundle: newBundle(t)})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Seccomp != nil {
		t.Fatalf("seccomp %+v without linux.seccomp", cfg.Seccomp)
	}
}

func TestConvertSeccompErrors(t *testing.T) {
	rule := specs.LinuxSyscall{Names: []string{"mkdir"}, Action: specs.ActErrno}
	tests := []struct {
		name string
		sc   specs.LinuxSeccomp
		want string
	}{
		{"action", specs.LinuxSeccomp{DefaultAction: specs.ActAllow,
			Syscalls: []specs.LinuxSyscall{rule, rule, rule, {Names: []string{"rmdir"}, Action: "X"}}},
			`linux.seccomp.syscalls[3].action: unknown action "X"`},
		{"arch", specs.LinuxSeccomp{DefaultAction: specs.ActAllow, Architectures: []specs.Arch{"SCMP_ARCH_PDP11"}},
			`linux.seccomp.architectures[0]: unknown architecture "SCMP_ARCH_PDP11"`},
		{"listener", specs.LinuxSeccomp{DefaultAction: specs.ActAllow,
			Syscalls: []specs.LinuxSyscall{{Names: []string{"mkdir"}, Action: specs.ActNotify}}},
			"linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := tt.sc
			wantErrContaining(t, convertExampleWith(t, func(s *specs.Spec) { s.Linux.Seccomp = &sc }), tt.want)
		})
	}
}
