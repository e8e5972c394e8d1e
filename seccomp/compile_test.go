package seccomp

import (
	"testing"

	libseccomp "github.com/seccomp/libseccomp-golang"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func TestCompileNil(t *testing.T) {
	prog, err := Compile(nil)
	if prog != nil || err != nil {
		t.Fatalf("Compile(nil) = %v, %v; want nil, nil", prog, err)
	}
}

// TestActions checks the verdict of every action, as a rule's action
// under an ALLOW default.
func TestActions(t *testing.T) {
	tests := []struct {
		action specs.LinuxSeccompAction
		errno  *uint
		want   uint32
	}{
		{specs.ActKill, nil, retKillThread},
		{specs.ActKillThread, nil, retKillThread},
		{specs.ActKillProcess, nil, retKillProcess},
		{specs.ActTrap, nil, retTrap},
		{specs.ActErrno, nil, retErrno(unix.EPERM)},
		{specs.ActErrno, uintPtr(38), retErrno(unix.ENOSYS)},
		{specs.ActErrno, uintPtr(0), retErrno(0)},
		{specs.ActTrace, nil, retTrace(uint32(unix.EPERM))},
		{specs.ActTrace, uintPtr(5), retTrace(5)},
		{specs.ActLog, nil, retLog},
		{specs.ActNotify, nil, retNotify},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			r := rule(tt.action, "mkdir", "mkdirat")
			r.ErrnoRet = tt.errno
			cfg := &configs.Seccomp{DefaultAction: act(specs.ActAllow), Syscalls: []configs.SeccompSyscall{r}}
			if tt.action == specs.ActNotify {
				cfg.ListenerPath = "/run/agent.sock"
			}
			prog := compile(t, cfg)
			if got := run(t, prog, nativeCall(t, "mkdirat")); got != tt.want {
				t.Errorf("mkdirat: verdict %#x, want %#x", got, tt.want)
			}
			if got := run(t, prog, nativeCall(t, "getpid")); got != retAllow {
				t.Errorf("getpid: verdict %#x, want ALLOW", got)
			}
		})
	}
}

// TestDefaultActions checks each default action on a syscall no rule
// names, below the profile's highest syscall (so not the ENOSYS stub's).
func TestDefaultActions(t *testing.T) {
	tests := []struct {
		action specs.LinuxSeccompAction
		errno  *uint
		want   uint32
	}{
		{specs.ActKill, nil, retKillThread},
		{specs.ActKillProcess, nil, retKillProcess},
		{specs.ActTrap, nil, retTrap},
		{specs.ActErrno, nil, retErrno(unix.EPERM)},
		{specs.ActErrno, uintPtr(1), retErrno(1)},
		{specs.ActTrace, uintPtr(7), retTrace(7)},
		{specs.ActAllow, nil, retAllow},
		{specs.ActLog, nil, retLog},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			allow := rule(specs.ActAllow, "read", "faccessat2")
			if tt.action == specs.ActAllow {
				allow = rule(specs.ActErrno, "read", "faccessat2")
			}
			cfg := &configs.Seccomp{
				DefaultAction: act(tt.action), DefaultErrnoRet: tt.errno,
				Syscalls: []configs.SeccompSyscall{allow},
			}
			prog := compile(t, cfg)
			if got := run(t, prog, nativeCall(t, "getpid")); got != tt.want {
				t.Errorf("getpid: verdict %#x, want %#x", got, tt.want)
			}
		})
	}
}

// TestOperators checks each comparison, with 64-bit values whose high
// words matter.
func TestOperators(t *testing.T) {
	const big = 0x1_0000_0000
	tests := []struct {
		op              specs.LinuxSeccompOperator
		value, valueTwo uint64
		arg             uint64
		match           bool
	}{
		{specs.OpEqualTo, 8, 0, 8, true},
		{specs.OpEqualTo, 8, 0, big + 8, false},
		{specs.OpNotEqual, 8, 0, 8, false},
		{specs.OpNotEqual, 8, 0, big + 8, true},
		{specs.OpLessThan, big, 0, big - 1, true},
		{specs.OpLessThan, big, 0, big, false},
		{specs.OpLessEqual, big, 0, big, true},
		{specs.OpLessEqual, big, 0, big + 1, false},
		{specs.OpGreaterThan, big, 0, big + 1, true},
		{specs.OpGreaterThan, big, 0, big - 1, false},
		{specs.OpGreaterEqual, big, 0, big, true},
		{specs.OpGreaterEqual, big, 0, 0xffffffff, false},
		{specs.OpMaskedEqual, 0xff00, 0x1200, 0x12ab, true},
		{specs.OpMaskedEqual, 0xff00, 0x1200, 0x13ab, false},
	}
	for _, tt := range tests {
		r := rule(specs.ActErrno, "personality")
		r.Args = []configs.SeccompArg{{Index: 0, Value: tt.value, ValueTwo: tt.valueTwo, Op: op(tt.op)}}
		prog := compile(t, &configs.Seccomp{DefaultAction: act(specs.ActAllow), Syscalls: []configs.SeccompSyscall{r}})
		want := uint32(retAllow)
		if tt.match {
			want = retErrno(unix.EPERM)
		}
		if got := run(t, prog, nativeCall(t, "personality", tt.arg)); got != want {
			t.Errorf("%s %#x/%#x on %#x: verdict %#x, want %#x", tt.op, tt.value, tt.valueTwo, tt.arg, got, want)
		}
	}
}

// TestArgsAnded: args on different indexes must all match.
func TestArgsAnded(t *testing.T) {
	r := rule(specs.ActErrno, "mkdirat")
	r.Args = []configs.SeccompArg{
		{Index: 0, Value: 5, Op: op(specs.OpEqualTo)},
		{Index: 2, Value: 0o700, Op: op(specs.OpEqualTo)},
	}
	prog := compile(t, &configs.Seccomp{DefaultAction: act(specs.ActAllow), Syscalls: []configs.SeccompSyscall{r}})
	for _, tc := range []struct {
		args []uint64
		want uint32
	}{
		{[]uint64{5, 0, 0o700}, retErrno(unix.EPERM)},
		{[]uint64{5, 0, 0o755}, retAllow},
		{[]uint64{6, 0, 0o700}, retAllow},
	} {
		if got := run(t, prog, nativeCall(t, "mkdirat", tc.args...)); got != tc.want {
			t.Errorf("mkdirat%v: verdict %#x, want %#x", tc.args, got, tc.want)
		}
	}
}

// TestArgsSameIndexOred: two comparisons of one argument become two rules
// (ORed), as runc does, since libseccomp cannot AND them.
func TestArgsSameIndexOred(t *testing.T) {
	r := rule(specs.ActErrno, "personality")
	r.Args = []configs.SeccompArg{
		{Index: 0, Value: 8, Op: op(specs.OpEqualTo)},
		{Index: 0, Value: 9, Op: op(specs.OpEqualTo)},
	}
	prog := compile(t, &configs.Seccomp{DefaultAction: act(specs.ActAllow), Syscalls: []configs.SeccompSyscall{r}})
	for arg, want := range map[uint64]uint32{8: retErrno(unix.EPERM), 9: retErrno(unix.EPERM), 10: retAllow} {
		if got := run(t, prog, nativeCall(t, "personality", arg)); got != want {
			t.Errorf("personality(%d): verdict %#x, want %#x", arg, got, want)
		}
	}
}

// TestRulesOred: two rules for one syscall each apply.
func TestRulesOred(t *testing.T) {
	r1 := rule(specs.ActErrno, "personality")
	r1.Args = []configs.SeccompArg{{Index: 0, Value: 8, Op: op(specs.OpEqualTo)}}
	r2 := rule(specs.ActErrno, "personality")
	r2.Args = []configs.SeccompArg{{Index: 0, Value: 0x20000, Op: op(specs.OpGreaterEqual)}}
	prog := compile(t, &configs.Seccomp{DefaultAction: act(specs.ActAllow), Syscalls: []configs.SeccompSyscall{r1, r2}})
	for arg, want := range map[uint64]uint32{8: retErrno(unix.EPERM), 0x30000: retErrno(unix.EPERM), 0: retAllow} {
		if got := run(t, prog, nativeCall(t, "personality", arg)); got != want {
			t.Errorf("personality(%#x): verdict %#x, want %#x", arg, got, want)
		}
	}
}

func TestUnknownSyscallSkipped(t *testing.T) {
	cfg := &configs.Seccomp{
		DefaultAction: act(specs.ActAllow),
		Syscalls:      []configs.SeccompSyscall{rule(specs.ActErrno, "no_such_syscall", "mkdirat")},
	}
	prog := compile(t, cfg)
	if got := run(t, prog, nativeCall(t, "mkdirat")); got != retErrno(unix.EPERM) {
		t.Errorf("mkdirat: verdict %#x, want EPERM", got)
	}
}

// TestRuleLikeDefaultSkipped: libseccomp refuses such a rule; it changes
// nothing, so it is dropped.
func TestRuleLikeDefaultSkipped(t *testing.T) {
	cfg := &configs.Seccomp{
		DefaultAction: act(specs.ActErrno),
		Syscalls: []configs.SeccompSyscall{
			rule(specs.ActErrno, "mkdirat"), rule(specs.ActAllow, "getpid", "faccessat2"),
		},
	}
	prog := compile(t, cfg)
	if got := run(t, prog, nativeCall(t, "mkdirat")); got != retErrno(unix.EPERM) {
		t.Errorf("mkdirat: verdict %#x, want EPERM", got)
	}
}

func TestArchitectures(t *testing.T) {
	onlyAmd64(t)
	cfg := &configs.Seccomp{
		DefaultAction: act(specs.ActErrno),
		Architectures: []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"},
		Syscalls:      []configs.SeccompSyscall{rule(specs.ActAllow, "read", "faccessat2")},
	}
	prog := compile(t, cfg)
	tests := []struct {
		name string
		c    call
		want uint32
	}{
		{"i386 read", call{nr: 3, arch: unix.AUDIT_ARCH_I386}, retAllow},
		{"i386 getpid", call{nr: 20, arch: unix.AUDIT_ARCH_I386}, retErrno(unix.EPERM)},
		{"x32 read", call{nr: x32SyscallBit, arch: unix.AUDIT_ARCH_X86_64}, retAllow},
		{"aarch64 read", call{nr: 63, arch: unix.AUDIT_ARCH_AARCH64}, retKillThread},
	}
	for _, tt := range tests {
		if got := run(t, prog, tt.c); got != tt.want {
			t.Errorf("%s: verdict %#x, want %#x", tt.name, got, tt.want)
		}
	}
	native := compile(t, &configs.Seccomp{DefaultAction: act(specs.ActErrno), Syscalls: cfg.Syscalls})
	if got := run(t, native, call{nr: 3, arch: unix.AUDIT_ARCH_I386}); got != retKillThread {
		t.Errorf("i386 read without SCMP_ARCH_X86: verdict %#x, want the bad-arch kill", got)
	}
}

func TestLoadFlags(t *testing.T) {
	notify := []configs.SeccompSyscall{rule(specs.ActNotify, "mkdir")}
	tests := []struct {
		name     string
		flags    []string
		syscalls []configs.SeccompSyscall
		want     uint
	}{
		{"none", nil, nil, 0},
		{"log", []string{"SECCOMP_FILTER_FLAG_LOG"}, nil, unix.SECCOMP_FILTER_FLAG_LOG},
		{"tsync spec", []string{"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"}, nil,
			unix.SECCOMP_FILTER_FLAG_TSYNC | unix.SECCOMP_FILTER_FLAG_SPEC_ALLOW},
		{"wait killable alone", []string{"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}, nil, 0},
		{"notify", nil, notify, unix.SECCOMP_FILTER_FLAG_NEW_LISTENER},
		{"notify wait killable", []string{"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}, notify,
			unix.SECCOMP_FILTER_FLAG_NEW_LISTENER | unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
		{"notify tsync", []string{"SECCOMP_FILTER_FLAG_TSYNC"}, notify,
			unix.SECCOMP_FILTER_FLAG_NEW_LISTENER | unix.SECCOMP_FILTER_FLAG_TSYNC | unix.SECCOMP_FILTER_FLAG_TSYNC_ESRCH},
	}
	for _, tt := range tests {
		cfg := &configs.Seccomp{DefaultAction: act(specs.ActAllow), Flags: tt.flags, Syscalls: tt.syscalls}
		if tt.syscalls != nil {
			cfg.ListenerPath = "/run/agent.sock"
		}
		prog, err := Compile(cfg)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if prog.Flags != tt.want {
			t.Errorf("%s: flags %#x, want %#x", tt.name, prog.Flags, tt.want)
		}
		if prog.Notify() != (tt.syscalls != nil) {
			t.Errorf("%s: Notify() = %v", tt.name, prog.Notify())
		}
	}
}

func TestUnsupportedArchitecture(t *testing.T) {
	cfg := &configs.Seccomp{DefaultAction: act(specs.ActAllow), Architectures: []string{"SCMP_ARCH_X86", "SCMP_ARCH_SHEB"}}
	_, err := Compile(cfg)
	if err == nil {
		t.Skip("this libseccomp supports SuperH")
	}
	wantErr(t, err, "linux.seccomp.architectures[1]: SCMP_ARCH_SHEB")
}

// largeProfile is shaped like engines' default profiles: a deny default,
// three architectures and an allow rule for every native syscall
// libseccomp knows (about 370 on x86_64).
func largeProfile(b *testing.B) *configs.Seccomp {
	var names []string
	for nr := 0; nr < 1000; nr++ {
		if name, err := libseccomp.ScmpSyscall(nr).GetName(); err == nil {
			names = append(names, name)
		}
	}
	b.Logf("%d syscalls", len(names))
	return &configs.Seccomp{
		DefaultAction: act(specs.ActErrno),
		Architectures: []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"},
		Syscalls:      []configs.SeccompSyscall{{Names: names, Action: act(specs.ActAllow)}},
	}
}

func BenchmarkCompileLargeProfile(b *testing.B) {
	cfg := largeProfile(b)
	for b.Loop() {
		if _, err := Compile(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
