package seccomp

import (
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func wantErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not contain %q", err, want)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Fatalf("error %q is not one line", err)
	}
}

func TestValidateErrors(t *testing.T) {
	base := func() *configs.Seccomp {
		return &configs.Seccomp{
			DefaultAction: act(specs.ActErrno),
			Syscalls: []configs.SeccompSyscall{
				rule(specs.ActAllow, "read"), rule(specs.ActAllow, "write"),
				rule(specs.ActAllow, "exit"), rule(specs.ActErrno, "mkdir"),
			},
		}
	}
	tests := []struct {
		name   string
		mutate func(*configs.Seccomp)
		want   string
	}{
		{"no default", func(c *configs.Seccomp) { c.DefaultAction = "" }, "linux.seccomp.defaultAction: missing"},
		{"bad default", func(c *configs.Seccomp) { c.DefaultAction = "SCMP_ACT_NOPE" }, `linux.seccomp.defaultAction: unknown action "SCMP_ACT_NOPE"`},
		{"notify default", func(c *configs.Seccomp) { c.DefaultAction = act(specs.ActNotify) }, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default"},
		{"default errno on allow", func(c *configs.Seccomp) {
			c.DefaultAction = act(specs.ActAllow)
			c.DefaultErrnoRet = uintPtr(1)
		}, "linux.seccomp.defaultErrnoRet: SCMP_ACT_ALLOW takes no errno"},
		{"errno too big", func(c *configs.Seccomp) { c.DefaultErrnoRet = uintPtr(70000) }, "linux.seccomp.defaultErrnoRet: 70000 does not fit"},
		{"bad arch", func(c *configs.Seccomp) { c.Architectures = []string{"SCMP_ARCH_X86", "SCMP_ARCH_VAX"} }, `linux.seccomp.architectures[1]: unknown architecture "SCMP_ARCH_VAX"`},
		{"bad flag", func(c *configs.Seccomp) { c.Flags = []string{"SECCOMP_FILTER_FLAG_NEW_LISTENER"} }, `linux.seccomp.flags[0]: unknown flag "SECCOMP_FILTER_FLAG_NEW_LISTENER"`},
		{"bad action", func(c *configs.Seccomp) { c.Syscalls[3].Action = "X" }, `linux.seccomp.syscalls[3].action: unknown action "X"`},
		{"no action", func(c *configs.Seccomp) { c.Syscalls[1].Action = "" }, "linux.seccomp.syscalls[1].action: missing"},
		{"no names", func(c *configs.Seccomp) { c.Syscalls[2].Names = nil }, "linux.seccomp.syscalls[2].names: must not be empty"},
		{"empty name", func(c *configs.Seccomp) { c.Syscalls[2].Names = []string{"exit", ""} }, "linux.seccomp.syscalls[2].names[1]: must not be empty"},
		{"errno on kill", func(c *configs.Seccomp) {
			c.Syscalls[3].Action = act(specs.ActKill)
			c.Syscalls[3].ErrnoRet = uintPtr(1)
		}, "linux.seccomp.syscalls[3].errnoRet: SCMP_ACT_KILL takes no errno"},
		{"bad op", func(c *configs.Seccomp) {
			c.Syscalls[3].Args = []configs.SeccompArg{{Index: 0, Op: op(specs.OpEqualTo)}, {Index: 1, Op: "SCMP_CMP_FOO"}}
		}, `linux.seccomp.syscalls[3].args[1].op: unknown operator "SCMP_CMP_FOO"`},
		{"bad index", func(c *configs.Seccomp) {
			c.Syscalls[0].Args = []configs.SeccompArg{{Index: 6, Op: op(specs.OpEqualTo)}}
		}, "linux.seccomp.syscalls[0].args[0].index: 6 is out of range"},
		{"notify without listener", func(c *configs.Seccomp) { c.Syscalls[3].Action = act(specs.ActNotify) },
			"linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY in linux.seccomp.syscalls[3]"},
		{"listener without notify", func(c *configs.Seccomp) { c.ListenerPath = "/run/agent.sock" },
			"linux.seccomp.listenerPath: set, but no rule uses SCMP_ACT_NOTIFY"},
		{"notify on sendmsg", func(c *configs.Seccomp) {
			c.Syscalls[3] = rule(specs.ActNotify, "mkdir", "sendmsg")
			c.ListenerPath = "/run/agent.sock"
		}, "linux.seccomp.syscalls[3]: SCMP_ACT_NOTIFY cannot be used for sendmsg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base()
			tt.mutate(cfg)
			wantErr(t, Validate(cfg), tt.want)
			_, err := Compile(cfg)
			wantErr(t, err, tt.want)
		})
	}
	if err := Validate(base()); err != nil {
		t.Fatalf("valid config: %v", err)
	}
}
