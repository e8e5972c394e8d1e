package seccomp

import (
	"encoding/binary"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

const (
	retAllow       = unix.SECCOMP_RET_ALLOW
	retKillThread  = unix.SECCOMP_RET_KILL_THREAD
	retKillProcess = unix.SECCOMP_RET_KILL_PROCESS
	retTrap        = unix.SECCOMP_RET_TRAP
	retLog         = unix.SECCOMP_RET_LOG
	retNotify      = unix.SECCOMP_RET_USER_NOTIF
)

func retErrno(errno unix.Errno) uint32 { return unix.SECCOMP_RET_ERRNO | uint32(errno) }
func retTrace(data uint32) uint32      { return unix.SECCOMP_RET_TRACE | data }

var retEnosys = retErrno(unix.ENOSYS)

func uintPtr(v uint) *uint { return &v }

func act(a specs.LinuxSeccompAction) configs.SeccompAction { return configs.SeccompAction(a) }

func op(o specs.LinuxSeccompOperator) configs.SeccompOperator { return configs.SeccompOperator(o) }

// rule is one unconditional rule.
func rule(a specs.LinuxSeccompAction, names ...string) configs.SeccompSyscall {
	return configs.SeccompSyscall{Names: names, Action: act(a)}
}

// compile compiles cfg or fails the test, and returns its instructions.
func compile(t *testing.T, cfg *configs.Seccomp) []unix.SockFilter {
	t.Helper()
	prog, err := Compile(cfg)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	insns, err := decode(prog.Filter)
	if err != nil {
		t.Fatal(err)
	}
	return insns
}

// sysnr is the native number of a syscall.
func sysnr(t *testing.T, name string) int32 {
	t.Helper()
	nr, err := libseccomp.GetSyscallFromName(name)
	if err != nil {
		t.Fatalf("syscall %s: %v", name, err)
	}
	return int32(nr)
}

// nrOn is the number of a syscall on another architecture.
func nrOn(t *testing.T, name string, arch libseccomp.ScmpArch) int32 {
	t.Helper()
	nr, err := libseccomp.GetSyscallFromNameByArch(name, arch)
	if err != nil {
		t.Fatalf("syscall %s on %v: %v", name, arch, err)
	}
	return int32(nr)
}

// nativeAudit is the AUDIT_ARCH_* of the machine's native syscalls.
func nativeAudit(t *testing.T) uint32 {
	t.Helper()
	native, err := libseccomp.GetNativeArch()
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range archs {
		if info.scmp == native {
			return info.audit
		}
	}
	t.Fatalf("native arch %v not in the table", native)
	return 0
}

// onlyAmd64 skips tests whose syscall numbers are x86_64's.
func onlyAmd64(t *testing.T) {
	t.Helper()
	if native, _ := libseccomp.GetNativeArch(); native != libseccomp.ArchAMD64 {
		t.Skip("x86_64-specific")
	}
}

// nativeCall is a call of a native syscall.
func nativeCall(t *testing.T, name string, args ...uint64) call {
	t.Helper()
	c := call{nr: sysnr(t, name), arch: nativeAudit(t)}
	copy(c.args[:], args)
	return c
}

// decode splits a program's bytes back into instructions.
func decode(b []byte) ([]unix.SockFilter, error) {
	insns := make([]unix.SockFilter, len(b)/sockFilterSize)
	for i := range insns {
		in := b[i*sockFilterSize:]
		insns[i] = unix.SockFilter{
			Code: binary.NativeEndian.Uint16(in),
			Jt:   in[2],
			Jf:   in[3],
			K:    binary.NativeEndian.Uint32(in[4:]),
		}
	}
	return insns, nil
}
