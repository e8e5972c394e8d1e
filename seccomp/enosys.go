package seccomp

import (
	"fmt"
	"slices"

	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// The ENOSYS stub runs before libseccomp's filter. For each architecture
// of the filter it compares the syscall number with the highest number
// the profile names for that architecture: a larger one is a syscall
// newer than the profile, and gets ENOSYS (so libc falls back to an older
// syscall) instead of the default action's EPERM or kill. Every other
// syscall goes on to libseccomp's filter. Like runc, only restrictive
// defaults (errno, kill, trap) get a stub.

const (
	// x32SyscallBit marks x32 syscalls, which the kernel reports under
	// AUDIT_ARCH_X86_64: they need their own limit.
	x32SyscallBit = 0x40000000
	// Offsets in struct seccomp_data.
	offsetNr   = 0
	offsetArch = 4
	// maxJump is the reach of a conditional BPF jump (8 bits).
	maxJump = 255
)

// archLimit is the limit for one AUDIT_ARCH_* value: low for syscall
// numbers below x32SyscallBit, high for x32's (x86_64 only, split). A nil
// limit sends the syscall to the filter unchecked.
type archLimit struct {
	audit     uint32
	low, high *uint32
	split     bool
}

// enosysStub returns the stub for cfg, or nil when none is needed.
func enosysStub(cfg *configs.Seccomp) ([]unix.SockFilter, error) {
	if permissive(cfg.DefaultAction) {
		return nil, nil
	}
	limits, err := profileLimits(cfg)
	if err != nil || len(limits) == 0 {
		return nil, err
	}
	return assembleStub(limits)
}

// profileLimits finds, per audit arch of the filter, the highest syscall
// number the profile names (names unknown for an arch do not count).
func profileLimits(cfg *configs.Seccomp) ([]archLimit, error) {
	infos, err := filterArchs(cfg)
	if err != nil {
		return nil, err
	}
	byAudit := make(map[uint32]*archLimit)
	for _, info := range infos {
		highest, ok := highestNamed(cfg, info.scmp)
		if !ok {
			continue
		}
		l := byAudit[info.audit]
		if l == nil {
			l = &archLimit{audit: info.audit, split: info.audit == unix.AUDIT_ARCH_X86_64}
			byAudit[info.audit] = l
		}
		if info.scmp == libseccomp.ArchX32 {
			l.high = &highest
		} else {
			l.low = &highest
		}
	}
	limits := make([]archLimit, 0, len(byAudit))
	for _, l := range byAudit {
		limits = append(limits, *l)
	}
	slices.SortFunc(limits, func(a, b archLimit) int { return int(int64(a.audit) - int64(b.audit)) })
	return limits, nil
}

// filterArchs are the native architecture and the config's, once each.
func filterArchs(cfg *configs.Seccomp) ([]archInfo, error) {
	native, err := libseccomp.GetNativeArch()
	if err != nil {
		return nil, fmt.Errorf("linux.seccomp: native architecture: %w", err)
	}
	var out []archInfo
	add := func(info archInfo) {
		if !slices.ContainsFunc(out, func(o archInfo) bool { return o.scmp == info.scmp }) {
			out = append(out, info)
		}
	}
	for _, info := range archs {
		if info.scmp == native {
			add(info)
		}
	}
	for _, name := range cfg.Architectures {
		add(archs[name])
	}
	return out, nil
}

// highestNamed is the largest number of a syscall cfg names, on arch.
// libseccomp's negative pseudo-numbers (multiplexed syscalls such as
// socketcall's) are not real numbers and do not count.
func highestNamed(cfg *configs.Seccomp, arch libseccomp.ScmpArch) (uint32, bool) {
	var highest uint32
	found := false
	for _, sc := range cfg.Syscalls {
		for _, name := range sc.Names {
			nr, err := libseccomp.GetSyscallFromNameByArch(name, arch)
			if err != nil || nr < 0 {
				continue
			}
			if !found || uint32(nr) > highest {
				highest, found = uint32(nr), true
			}
		}
	}
	return highest, found
}

// assembleStub lays the stub out:
//
//	ld [arch]
//	per arch:  jeq #AUDIT, 0, <next arch>; ld [nr]
//	           (x86_64: jge #X32_BIT, <x32 check>, 0)
//	           jgt #LIMIT, <enosys>, <filter>
//	ja <filter>
//	enosys: ret ERRNO(ENOSYS)
//	filter: libseccomp's program
func assembleStub(limits []archLimit) ([]unix.SockFilter, error) {
	size := 1 + 2
	for _, l := range limits {
		size += l.blockSize()
	}
	e := &emitter{enosys: size - 1, filter: size}
	e.stmt(unix.BPF_LD|unix.BPF_W|unix.BPF_ABS, offsetArch)
	for _, l := range limits {
		l.emit(e)
	}
	e.jumpTo(e.filter)
	e.stmt(unix.BPF_RET|unix.BPF_K, unix.SECCOMP_RET_ERRNO|uint32(unix.ENOSYS))
	if e.err != nil {
		return nil, e.err
	}
	return e.prog, nil
}

func (l archLimit) blockSize() int {
	n := 3 // jeq, ld nr, low check
	if l.split {
		n++ // jge x32
		if l.high != nil {
			n++ // high check
		}
	}
	return n
}

func (l archLimit) emit(e *emitter) {
	next := e.pc() + l.blockSize()
	e.jump(unix.BPF_JEQ, l.audit, e.pc()+1, next)
	e.stmt(unix.BPF_LD|unix.BPF_W|unix.BPF_ABS, offsetNr)
	if l.split {
		x32 := e.filter // x32 not in the filter: libseccomp's bad-arch action
		if l.high != nil {
			x32 = e.pc() + 2 // past the low check
		}
		e.jump(unix.BPF_JGE, x32SyscallBit, x32, e.pc()+1)
	}
	e.check(l.low)
	if l.split && l.high != nil {
		e.check(l.high)
	}
}

// emitter appends instructions, turning absolute targets into the relative
// offsets BPF jumps use.
type emitter struct {
	prog           []unix.SockFilter
	enosys, filter int
	err            error
}

func (e *emitter) pc() int { return len(e.prog) }

func (e *emitter) stmt(code uint16, k uint32) {
	e.prog = append(e.prog, unix.SockFilter{Code: code, K: k})
}

// check sends numbers above limit to ENOSYS and the others to the filter;
// with no limit, everything goes to the filter.
func (e *emitter) check(limit *uint32) {
	if limit == nil {
		e.jumpTo(e.filter)
		return
	}
	e.jump(unix.BPF_JGT, *limit, e.enosys, e.filter)
}

func (e *emitter) jump(op uint16, k uint32, jt, jf int) {
	e.prog = append(e.prog, unix.SockFilter{
		Code: unix.BPF_JMP | op | unix.BPF_K, K: k,
		Jt: e.offset(jt), Jf: e.offset(jf),
	})
}

func (e *emitter) jumpTo(target int) {
	e.prog = append(e.prog, unix.SockFilter{Code: unix.BPF_JMP | unix.BPF_JA, K: uint32(target - e.pc() - 1)})
}

func (e *emitter) offset(target int) uint8 {
	d := target - e.pc() - 1
	if d < 0 || d > maxJump {
		e.err = fmt.Errorf("linux.seccomp: ENOSYS stub: jump of %d instructions out of range", d)
		return 0
	}
	return uint8(d)
}
