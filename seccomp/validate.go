package seccomp

import (
	"errors"
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

const (
	actNotify = configs.SeccompAction(specs.ActNotify)
	// maxArgs is the number of syscall arguments seccomp_data carries.
	maxArgs = 6
	// maxErrno is what the 16-bit SECCOMP_RET_DATA can carry.
	maxErrno = 0xffff
)

// Validate checks cfg without compiling it and returns the first problem
// as a one-line error naming the linux.seccomp field. A nil cfg is valid.
func Validate(cfg *configs.Seccomp) error {
	if cfg == nil {
		return nil
	}
	if err := validateAction("linux.seccomp.defaultAction", cfg.DefaultAction); err != nil {
		return err
	}
	if cfg.DefaultAction == actNotify {
		// Everything, sendmsg included, would wait for an agent that
		// only gets the fd through the init's next sendmsg.
		return errors.New("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action")
	}
	if err := validateErrno("linux.seccomp.defaultErrnoRet", cfg.DefaultAction, cfg.DefaultErrnoRet); err != nil {
		return err
	}
	if err := validateArchs(cfg.Architectures); err != nil {
		return err
	}
	if err := validateFlags(cfg.Flags); err != nil {
		return err
	}
	for i := range cfg.Syscalls {
		if err := validateSyscall(fmt.Sprintf("linux.seccomp.syscalls[%d]", i), &cfg.Syscalls[i]); err != nil {
			return err
		}
	}
	return validateListener(cfg)
}

func validateAction(field string, a configs.SeccompAction) error {
	if a == "" {
		return fmt.Errorf("%s: missing", field)
	}
	if _, ok := actions[a]; !ok {
		return fmt.Errorf("%s: unknown action %q", field, a)
	}
	return nil
}

func validateErrno(field string, a configs.SeccompAction, errno *uint) error {
	if errno == nil {
		return nil
	}
	if !takesErrno(a) {
		return fmt.Errorf("%s: %s takes no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)", field, a)
	}
	if *errno > maxErrno {
		return fmt.Errorf("%s: %d does not fit in 16 bits", field, *errno)
	}
	return nil
}

func validateArchs(names []string) error {
	for i, a := range names {
		if _, ok := archs[a]; !ok {
			return fmt.Errorf("linux.seccomp.architectures[%d]: unknown architecture %q", i, a)
		}
	}
	return nil
}

func validateFlags(names []string) error {
	for i, f := range names {
		if _, ok := flags[f]; !ok {
			return fmt.Errorf("linux.seccomp.flags[%d]: unknown flag %q", i, f)
		}
	}
	return nil
}

func validateSyscall(field string, sc *configs.SeccompSyscall) error {
	if len(sc.Names) == 0 {
		return fmt.Errorf("%s.names: must not be empty", field)
	}
	for j, name := range sc.Names {
		if name == "" {
			return fmt.Errorf("%s.names[%d]: must not be empty", field, j)
		}
		if name == "sendmsg" && sc.Action == actNotify {
			// The init hands the notify fd over with sendmsg: that
			// call would wait forever for the agent it is sending to.
			return fmt.Errorf("%s: SCMP_ACT_NOTIFY cannot be used for sendmsg", field)
		}
	}
	if err := validateAction(field+".action", sc.Action); err != nil {
		return err
	}
	if err := validateErrno(field+".errnoRet", sc.Action, sc.ErrnoRet); err != nil {
		return err
	}
	for j, arg := range sc.Args {
		if arg.Index >= maxArgs {
			return fmt.Errorf("%s.args[%d].index: %d is out of range (0-5)", field, j, arg.Index)
		}
		if _, ok := operators[arg.Op]; !ok {
			return fmt.Errorf("%s.args[%d].op: unknown operator %q", field, j, arg.Op)
		}
	}
	return nil
}

// validateListener applies runc's rule: a listener path exactly when some
// rule notifies.
func validateListener(cfg *configs.Seccomp) error {
	notifying := -1
	for i, sc := range cfg.Syscalls {
		if sc.Action == actNotify {
			notifying = i
			break
		}
	}
	switch {
	case notifying >= 0 && cfg.ListenerPath == "":
		return fmt.Errorf("linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY in linux.seccomp.syscalls[%d]", notifying)
	case notifying < 0 && cfg.ListenerPath != "":
		return errors.New("linux.seccomp.listenerPath: set, but no rule uses SCMP_ACT_NOTIFY")
	}
	return nil
}

// usesNotify reports whether some rule notifies the agent.
func usesNotify(cfg *configs.Seccomp) bool {
	for _, sc := range cfg.Syscalls {
		if sc.Action == actNotify {
			return true
		}
	}
	return false
}
