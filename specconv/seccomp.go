package specconv

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/seccomp"
)

// convertSeccomp copies linux.seccomp and validates it (names of actions,
// operators, architectures and flags, errnoRet, the listener rule); the
// runtime compiles it to BPF when it starts a process.
func convertSeccomp(spec *specs.Spec, _ string, config *configs.Config) error {
	s := spec.Linux.Seccomp
	if s == nil {
		return nil
	}
	out := &configs.Seccomp{
		DefaultAction:    configs.SeccompAction(s.DefaultAction),
		DefaultErrnoRet:  copyUint(s.DefaultErrnoRet),
		ListenerPath:     s.ListenerPath,
		ListenerMetadata: s.ListenerMetadata,
	}
	for _, a := range s.Architectures {
		out.Architectures = append(out.Architectures, string(a))
	}
	for _, f := range s.Flags {
		out.Flags = append(out.Flags, string(f))
	}
	for _, sc := range s.Syscalls {
		out.Syscalls = append(out.Syscalls, convertSyscall(sc))
	}
	if err := seccomp.Validate(out); err != nil {
		return err
	}
	config.Seccomp = out
	return nil
}

func convertSyscall(sc specs.LinuxSyscall) configs.SeccompSyscall {
	out := configs.SeccompSyscall{
		Names:    append([]string(nil), sc.Names...),
		Action:   configs.SeccompAction(sc.Action),
		ErrnoRet: copyUint(sc.ErrnoRet),
	}
	for _, a := range sc.Args {
		out.Args = append(out.Args, configs.SeccompArg{
			Index: a.Index, Value: a.Value, ValueTwo: a.ValueTwo, Op: configs.SeccompOperator(a.Op),
		})
	}
	return out
}

func copyUint(p *uint) *uint {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
