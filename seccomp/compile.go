package seccomp

import (
	"fmt"
	"time"

	libseccomp "github.com/seccomp/libseccomp-golang"
	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// bpfMaxInsns is the kernel's limit on a classic BPF program.
const bpfMaxInsns = 4096

// Compile validates cfg and compiles it into the program the container's
// init loads with seccomp(2): the ENOSYS stub followed by libseccomp's
// filter. A nil cfg compiles to nil (no filter).
func Compile(cfg *configs.Seccomp) (*configs.SeccompProgram, error) {
	if cfg == nil {
		return nil, nil
	}
	start := time.Now()
	if err := Validate(cfg); err != nil {
		return nil, err
	}
	filter, err := newFilter(cfg)
	if err != nil {
		return nil, err
	}
	defer filter.Release()
	if err := addRules(filter, cfg); err != nil {
		return nil, err
	}
	bpf, err := exportBPF(filter)
	if err != nil {
		return nil, err
	}
	stub, err := enosysStub(cfg)
	if err != nil {
		return nil, err
	}
	prog := append(encode(stub), bpf...)
	if n := len(prog) / sockFilterSize; n > bpfMaxInsns {
		return nil, fmt.Errorf("linux.seccomp: the filter has %d instructions, more than the kernel's %d", n, bpfMaxInsns)
	}
	logrus.Debugf("seccomp: compiled %d instructions (%d in the ENOSYS stub) in %v",
		len(prog)/sockFilterSize, len(stub), time.Since(start))
	return &configs.SeccompProgram{Filter: prog, Flags: loadFlags(cfg)}, nil
}

// newFilter makes a libseccomp filter with the default action and the
// config's architectures (the native one is always in).
func newFilter(cfg *configs.Seccomp) (*libseccomp.ScmpFilter, error) {
	filter, err := libseccomp.NewFilter(scmpAction(cfg.DefaultAction, cfg.DefaultErrnoRet))
	if err != nil {
		return nil, fmt.Errorf("linux.seccomp.defaultAction: %s: %w", cfg.DefaultAction, err)
	}
	for i, name := range cfg.Architectures {
		if err := filter.AddArch(archs[name].scmp); err != nil {
			filter.Release()
			return nil, fmt.Errorf("linux.seccomp.architectures[%d]: %s: %w", i, name, err)
		}
	}
	return filter, nil
}

// scmpAction is libseccomp's action for a validated one; an ERRNO or
// TRACE without errnoRet returns EPERM, as runc does.
func scmpAction(a configs.SeccompAction, errno *uint) libseccomp.ScmpAction {
	act := actions[a]
	if !takesErrno(a) {
		return act
	}
	code := uint(unix.EPERM)
	if errno != nil {
		code = *errno
	}
	// SetReturnCode keeps the low 16 bits: values above 32767 wrap to a
	// negative int16 but come out as the same 16 bits.
	return act.SetReturnCode(int16(code))
}

// loadFlags are the seccomp(2) flags: the config's, plus NEW_LISTENER when
// a rule notifies (and TSYNC_ESRCH, without which the kernel refuses TSYNC
// with a listener).
func loadFlags(cfg *configs.Seccomp) uint {
	var fl uint
	for _, name := range cfg.Flags {
		fl |= flags[name]
	}
	if !usesNotify(cfg) {
		// Only meaningful for a listener; the kernel refuses it alone.
		return fl &^ unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
	}
	fl |= unix.SECCOMP_FILTER_FLAG_NEW_LISTENER
	if fl&unix.SECCOMP_FILTER_FLAG_TSYNC != 0 {
		fl |= unix.SECCOMP_FILTER_FLAG_TSYNC_ESRCH
	}
	return fl
}
