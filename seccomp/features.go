package seccomp

import (
	"errors"
	"maps"
	"slices"

	"github.com/opencontainers/runtime-spec/specs-go/features"
	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"
)

// Features describes seccomp support for the `features` command: the
// actions, operators and flags ocirun accepts, the architectures this
// libseccomp knows, and the flags this kernel accepts.
func Features() *features.Seccomp {
	enabled := true
	return &features.Seccomp{
		Enabled:        &enabled,
		Actions:        sortedKeys(actions),
		Operators:      sortedKeys(operators),
		Archs:          supportedArchs(),
		KnownFlags:     sortedKeys(flags),
		SupportedFlags: supportedFlags(),
	}
}

func sortedKeys[K ~string, V any](m map[K]V) []string {
	out := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, string(k))
	}
	return out
}

// supportedArchs are the runtime-spec architectures this libseccomp can
// add to a filter (2.5 lacks e.g. LoongArch and SuperH).
func supportedArchs() []string {
	filter, err := libseccomp.NewFilter(libseccomp.ActAllow)
	if err != nil {
		return nil
	}
	defer filter.Release()
	var out []string
	for _, name := range sortedKeys(archs) {
		if filter.AddArch(archs[name].scmp) == nil {
			out = append(out, name)
		}
	}
	return out
}

// supportedFlags are the known flags this kernel accepts.
func supportedFlags() []string {
	var out []string
	for _, name := range sortedKeys(flags) {
		probe := flags[name]
		if probe == unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV {
			// Only valid together with a listener.
			probe |= unix.SECCOMP_FILTER_FLAG_NEW_LISTENER
		}
		if kernelAcceptsFlags(probe) {
			out = append(out, name)
		}
	}
	return out
}

// kernelAcceptsFlags asks seccomp(2) with a NULL program: the kernel checks
// the flags first (EINVAL when unknown) and only then reads the program
// (EFAULT), so EFAULT means the flags are supported. Nothing is loaded.
func kernelAcceptsFlags(fl uint) bool {
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, uintptr(fl), 0)
	return errors.Is(errno, unix.EFAULT)
}
