package configs

// SeccompAction is what a seccomp rule does, spelled as in runtime-spec
// ("SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW", ...).
type SeccompAction string

// SeccompOperator compares a syscall argument, spelled as in runtime-spec
// ("SCMP_CMP_EQ", "SCMP_CMP_MASKED_EQ", ...).
type SeccompOperator string

// Seccomp is linux.seccomp: the syscall filter of the container's
// processes. The seccomp package validates it and compiles it to BPF.
type Seccomp struct {
	// DefaultAction applies to every syscall no rule matches.
	DefaultAction SeccompAction `json:"default_action"`
	// DefaultErrnoRet is the errno of an ERRNO/TRACE default action
	// (nil: EPERM).
	DefaultErrnoRet *uint `json:"default_errno_ret,omitempty"`
	// Architectures are the SCMP_ARCH_* names the filter accepts besides
	// the native one.
	Architectures []string `json:"architectures,omitempty"`
	// Flags are SECCOMP_FILTER_FLAG_* names passed to seccomp(2).
	Flags []string `json:"flags,omitempty"`
	// ListenerPath is the unix socket of the agent that receives the
	// notify fd when a rule uses SCMP_ACT_NOTIFY.
	ListenerPath string `json:"listener_path,omitempty"`
	// ListenerMetadata is passed to the agent as is.
	ListenerMetadata string `json:"listener_metadata,omitempty"`
	// Syscalls are the rules, in config.json's order (index i is
	// linux.seccomp.syscalls[i], which errors name).
	Syscalls []SeccompSyscall `json:"syscalls,omitempty"`
}

// SeccompSyscall is one rule: Action for each of Names when every Arg
// matches.
type SeccompSyscall struct {
	Names  []string      `json:"names"`
	Action SeccompAction `json:"action"`
	// ErrnoRet is the errno of an ERRNO/TRACE action (nil: EPERM).
	ErrnoRet *uint        `json:"errno_ret,omitempty"`
	Args     []SeccompArg `json:"args,omitempty"`
}

// SeccompArg compares argument Index with Value (and ValueTwo, the
// expected value of SCMP_CMP_MASKED_EQ, where Value is the mask).
type SeccompArg struct {
	Index    uint            `json:"index"`
	Value    uint64          `json:"value"`
	ValueTwo uint64          `json:"value_two,omitempty"`
	Op       SeccompOperator `json:"op"`
}

// SeccompProgram is a compiled filter, ready for
// seccomp(SECCOMP_SET_MODE_FILTER): the parent compiles it with libseccomp
// so the init only makes one syscall.
type SeccompProgram struct {
	// Filter is the sock_filter array in native byte order (8 bytes per
	// instruction).
	Filter []byte `json:"filter"`
	// Flags are the SECCOMP_FILTER_FLAG_* bits to load it with.
	Flags uint `json:"flags,omitempty"`
}

// seccompFlagNewListener is SECCOMP_FILTER_FLAG_NEW_LISTENER, kept here so
// configs stays dependency-free.
const seccompFlagNewListener = 0x8

// Notify reports whether loading the program returns a notify fd that must
// reach the seccomp agent.
func (p *SeccompProgram) Notify() bool {
	return p.Flags&seccompFlagNewListener != 0
}
