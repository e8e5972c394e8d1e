package seccomp

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// actions maps runtime-spec action names to libseccomp's. SCMP_ACT_KILL is
// the historical name of KILL_THREAD.
var actions = map[configs.SeccompAction]libseccomp.ScmpAction{
	configs.SeccompAction(specs.ActKill):        libseccomp.ActKillThread,
	configs.SeccompAction(specs.ActKillThread):  libseccomp.ActKillThread,
	configs.SeccompAction(specs.ActKillProcess): libseccomp.ActKillProcess,
	configs.SeccompAction(specs.ActTrap):        libseccomp.ActTrap,
	configs.SeccompAction(specs.ActErrno):       libseccomp.ActErrno,
	configs.SeccompAction(specs.ActTrace):       libseccomp.ActTrace,
	configs.SeccompAction(specs.ActAllow):       libseccomp.ActAllow,
	configs.SeccompAction(specs.ActLog):         libseccomp.ActLog,
	configs.SeccompAction(specs.ActNotify):      libseccomp.ActNotify,
}

// operators maps runtime-spec comparison names to libseccomp's.
var operators = map[configs.SeccompOperator]libseccomp.ScmpCompareOp{
	configs.SeccompOperator(specs.OpNotEqual):     libseccomp.CompareNotEqual,
	configs.SeccompOperator(specs.OpLessThan):     libseccomp.CompareLess,
	configs.SeccompOperator(specs.OpLessEqual):    libseccomp.CompareLessOrEqual,
	configs.SeccompOperator(specs.OpEqualTo):      libseccomp.CompareEqual,
	configs.SeccompOperator(specs.OpGreaterEqual): libseccomp.CompareGreaterEqual,
	configs.SeccompOperator(specs.OpGreaterThan):  libseccomp.CompareGreater,
	configs.SeccompOperator(specs.OpMaskedEqual):  libseccomp.CompareMaskedEqual,
}

// archInfo is one SCMP_ARCH_*: libseccomp's token and the AUDIT_ARCH_*
// value the kernel puts in seccomp_data.arch for its syscalls.
type archInfo struct {
	scmp  libseccomp.ScmpArch
	audit uint32
}

// archs maps runtime-spec architecture names. x32 syscalls come with the
// x86_64 audit arch and __X32_SYSCALL_BIT set in their number; SH is
// little-endian in libseccomp's naming, SHEB big-endian.
var archs = map[string]archInfo{
	string(specs.ArchX86):         {libseccomp.ArchX86, unix.AUDIT_ARCH_I386},
	string(specs.ArchX86_64):      {libseccomp.ArchAMD64, unix.AUDIT_ARCH_X86_64},
	string(specs.ArchX32):         {libseccomp.ArchX32, unix.AUDIT_ARCH_X86_64},
	string(specs.ArchARM):         {libseccomp.ArchARM, unix.AUDIT_ARCH_ARM},
	string(specs.ArchAARCH64):     {libseccomp.ArchARM64, unix.AUDIT_ARCH_AARCH64},
	string(specs.ArchMIPS):        {libseccomp.ArchMIPS, unix.AUDIT_ARCH_MIPS},
	string(specs.ArchMIPS64):      {libseccomp.ArchMIPS64, unix.AUDIT_ARCH_MIPS64},
	string(specs.ArchMIPS64N32):   {libseccomp.ArchMIPS64N32, unix.AUDIT_ARCH_MIPS64N32},
	string(specs.ArchMIPSEL):      {libseccomp.ArchMIPSEL, unix.AUDIT_ARCH_MIPSEL},
	string(specs.ArchMIPSEL64):    {libseccomp.ArchMIPSEL64, unix.AUDIT_ARCH_MIPSEL64},
	string(specs.ArchMIPSEL64N32): {libseccomp.ArchMIPSEL64N32, unix.AUDIT_ARCH_MIPSEL64N32},
	string(specs.ArchPPC):         {libseccomp.ArchPPC, unix.AUDIT_ARCH_PPC},
	string(specs.ArchPPC64):       {libseccomp.ArchPPC64, unix.AUDIT_ARCH_PPC64},
	string(specs.ArchPPC64LE):     {libseccomp.ArchPPC64LE, unix.AUDIT_ARCH_PPC64LE},
	string(specs.ArchS390):        {libseccomp.ArchS390, unix.AUDIT_ARCH_S390},
	string(specs.ArchS390X):       {libseccomp.ArchS390X, unix.AUDIT_ARCH_S390X},
	string(specs.ArchPARISC):      {libseccomp.ArchPARISC, unix.AUDIT_ARCH_PARISC},
	string(specs.ArchPARISC64):    {libseccomp.ArchPARISC64, unix.AUDIT_ARCH_PARISC64},
	string(specs.ArchRISCV64):     {libseccomp.ArchRISCV64, unix.AUDIT_ARCH_RISCV64},
	string(specs.ArchLOONGARCH64): {libseccomp.ArchLOONGARCH64, unix.AUDIT_ARCH_LOONGARCH64},
	string(specs.ArchM68K):        {libseccomp.ArchM68K, unix.AUDIT_ARCH_M68K},
	string(specs.ArchSH):          {libseccomp.ArchSH, unix.AUDIT_ARCH_SHEL},
	string(specs.ArchSHEB):        {libseccomp.ArchSHEB, unix.AUDIT_ARCH_SH},
}

// flagTsync is not among runtime-spec's flag constants but is accepted
// by runc and by engines' profiles.
const flagTsync = "SECCOMP_FILTER_FLAG_TSYNC"

// flags maps the SECCOMP_FILTER_FLAG_* names a config may use to their
// bits. NEW_LISTENER is ours to set (when a rule notifies), not the
// config's.
var flags = map[string]uint{
	flagTsync:                                      unix.SECCOMP_FILTER_FLAG_TSYNC,
	string(specs.LinuxSeccompFlagLog):              unix.SECCOMP_FILTER_FLAG_LOG,
	string(specs.LinuxSeccompFlagSpecAllow):        unix.SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	string(specs.LinuxSeccompFlagWaitKillableRecv): unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
}

// takesErrno reports whether an action carries an errno (runtime-spec:
// errnoRet on any other action is an error).
func takesErrno(a configs.SeccompAction) bool {
	return a == configs.SeccompAction(specs.ActErrno) || a == configs.SeccompAction(specs.ActTrace)
}

// permissive reports whether a default action lets unknown syscalls run:
// then a newer syscall needs no ENOSYS. TRACE counts as permissive
// because a tracer should handle new syscalls itself (as runc decides).
func permissive(a configs.SeccompAction) bool {
	switch a {
	case configs.SeccompAction(specs.ActAllow), configs.SeccompAction(specs.ActLog), configs.SeccompAction(specs.ActTrace):
		return true
	}
	return false
}
