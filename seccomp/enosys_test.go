package seccomp

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// allowList is a restrictive profile whose newest syscall is faccessat2.
func allowList(def specs.LinuxSeccompAction, archs ...string) *configs.Seccomp {
	return &configs.Seccomp{
		DefaultAction: act(def),
		Architectures: archs,
		Syscalls:      []configs.SeccompSyscall{rule(specs.ActAllow, "read", "write", "faccessat2")},
	}
}

func TestEnosysStub(t *testing.T) {
	faccessat2 := sysnr(t, "faccessat2")
	tests := []struct {
		name string
		cfg  *configs.Seccomp
		c    call
		want uint32
	}{
		{"newer than the profile", allowList(specs.ActErrno), call{nr: faccessat2 + 1}, retEnosys},
		{"far newer", allowList(specs.ActErrno), call{nr: 1000}, retEnosys},
		{"the newest named", allowList(specs.ActErrno), call{nr: faccessat2}, retAllow},
		{"older, not named", allowList(specs.ActErrno), nativeCall(t, "mkdirat"), retErrno(unix.EPERM)},
		{"kill default", allowList(specs.ActKillProcess), call{nr: 1000}, retEnosys},
		{"kill default, older", allowList(specs.ActKillProcess), nativeCall(t, "mkdirat"), retKillProcess},
		{"allow default", &configs.Seccomp{DefaultAction: act(specs.ActAllow),
			Syscalls: []configs.SeccompSyscall{rule(specs.ActErrno, "mkdirat")}}, call{nr: 1000}, retAllow},
		{"trace default", allowList(specs.ActTrace), call{nr: 1000}, retTrace(uint32(unix.EPERM))},
		{"log default", allowList(specs.ActLog), call{nr: 1000}, retLog},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.c.arch == 0 {
				tt.c.arch = nativeAudit(t)
			}
			if got := run(t, compile(t, tt.cfg), tt.c); got != tt.want {
				t.Errorf("nr %d: verdict %#x, want %#x", tt.c.nr, got, tt.want)
			}
		})
	}
}

// TestEnosysStubX86: i386 and x32 get their own limits; x32 syscalls
// are left to libseccomp when x32 is not in the filter.
func TestEnosysStubX86(t *testing.T) {
	onlyAmd64(t)
	all := compile(t, allowList(specs.ActErrno, "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"))
	x32 := func(nr int32) call { return call{nr: x32SyscallBit | nr, arch: unix.AUDIT_ARCH_X86_64} }
	i386 := func(nr int32) call { return call{nr: nr, arch: unix.AUDIT_ARCH_I386} }
	tests := []struct {
		name string
		prog []unix.SockFilter
		c    call
		want uint32
	}{
		{"x32 newer", all, x32(1000), retEnosys},
		{"x32 newest named", all, call{nr: nrOn(t, "faccessat2", libseccomp.ArchX32), arch: unix.AUDIT_ARCH_X86_64}, retAllow},
		{"x32 older", all, call{nr: nrOn(t, "mkdirat", libseccomp.ArchX32), arch: unix.AUDIT_ARCH_X86_64}, retErrno(unix.EPERM)},
		{"i386 newer", all, i386(1000), retEnosys},
		{"i386 older", all, i386(nrOn(t, "mkdir", libseccomp.ArchX86)), retErrno(unix.EPERM)},
		{"amd64 newer", all, call{nr: 1000, arch: unix.AUDIT_ARCH_X86_64}, retEnosys},
		{"x32 not in filter", compile(t, allowList(specs.ActErrno)), x32(1000), retKillThread},
		{"i386 not in filter", compile(t, allowList(specs.ActErrno)), i386(1000), retKillThread},
	}
	for _, tt := range tests {
		if got := run(t, tt.prog, tt.c); got != tt.want {
			t.Errorf("%s (nr %#x): verdict %#x, want %#x", tt.name, tt.c.nr, got, tt.want)
		}
	}
}

// TestNoStub: permissive defaults and profiles naming no syscall get none.
func TestNoStub(t *testing.T) {
	for _, cfg := range []*configs.Seccomp{
		allowList(specs.ActAllow), allowList(specs.ActLog), allowList(specs.ActTrace),
		{DefaultAction: act(specs.ActErrno)},
	} {
		stub, err := enosysStub(cfg)
		if err != nil || stub != nil {
			t.Errorf("default %s: stub of %d instructions, %v; want none", cfg.DefaultAction, len(stub), err)
		}
	}
}

// TestStubJumpRange: a stub too long for 8-bit jumps is an error, never a
// wrong program.
func TestStubJumpRange(t *testing.T) {
	limit := uint32(10)
	limits := make([]archLimit, 100)
	for i := range limits {
		limits[i] = archLimit{audit: uint32(i), low: &limit}
	}
	if _, err := assembleStub(limits); err == nil {
		t.Fatal("assembleStub accepted jumps beyond 255 instructions")
	}
}

func TestClone3(t *testing.T) {
	clone3 := nativeCall(t, "clone3")
	withClone3 := func(a specs.LinuxSeccompAction) *configs.Seccomp {
		cfg := allowList(specs.ActErrno)
		cfg.Syscalls = append(cfg.Syscalls, rule(a, "clone3"))
		return cfg
	}
	tests := []struct {
		name string
		cfg  *configs.Seccomp
		want uint32
	}{
		{"errno default, not named", allowList(specs.ActErrno), retEnosys},
		{"kill default, not named", allowList(specs.ActKillProcess), retEnosys},
		{"allowed", withClone3(specs.ActAllow), retAllow},
		{"explicit errno", withClone3(specs.ActErrno), retErrno(unix.EPERM)},
		{"allow default", &configs.Seccomp{DefaultAction: act(specs.ActAllow)}, retAllow},
		{"ENOSYS default", &configs.Seccomp{DefaultAction: act(specs.ActErrno), DefaultErrnoRet: uintPtr(38)}, retEnosys},
	}
	for _, tt := range tests {
		if got := run(t, compile(t, tt.cfg), clone3); got != tt.want {
			t.Errorf("%s: clone3 verdict %#x, want %#x", tt.name, got, tt.want)
		}
	}
}
