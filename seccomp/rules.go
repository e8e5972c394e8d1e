package seccomp

import (
	"fmt"
	"slices"

	libseccomp "github.com/seccomp/libseccomp-golang"
	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// addRules adds every rule of cfg to filter, then the clone3 rule.
func addRules(filter *libseccomp.ScmpFilter, cfg *configs.Seccomp) error {
	def := scmpAction(cfg.DefaultAction, cfg.DefaultErrnoRet)
	for i := range cfg.Syscalls {
		if err := addSyscallRule(filter, def, i, &cfg.Syscalls[i]); err != nil {
			return err
		}
	}
	return addClone3Enosys(filter, cfg, def)
}

// addSyscallRule adds rule i for each of its names. Names this libseccomp
// does not know are skipped (a profile may list syscalls newer than it),
// as runc does.
func addSyscallRule(filter *libseccomp.ScmpFilter, def libseccomp.ScmpAction, i int, sc *configs.SeccompSyscall) error {
	act := scmpAction(sc.Action, sc.ErrnoRet)
	if act == def {
		// libseccomp refuses a rule that repeats the default action,
		// and it would change nothing.
		return nil
	}
	field := fmt.Sprintf("linux.seccomp.syscalls[%d]", i)
	condSets, err := conditionSets(field, sc.Args)
	if err != nil {
		return err
	}
	for j, name := range sc.Names {
		nr, err := libseccomp.GetSyscallFromName(name)
		if err != nil {
			logrus.Debugf("seccomp: %s.names[%d]: syscall %q unknown to libseccomp, skipped", field, j, name)
			continue
		}
		for _, conds := range condSets {
			if err := filter.AddRuleConditional(nr, act, conds); err != nil {
				return fmt.Errorf("%s: add rule for %s: %w", field, name, err)
			}
		}
	}
	return nil
}

// conditionSets returns the condition lists of the libseccomp rules one
// config rule becomes: one rule ANDing every arg; or, when an argument
// index repeats (libseccomp cannot AND two comparisons of one argument),
// one rule per arg, ORed, as runc does. No args: one unconditional rule.
func conditionSets(field string, args []configs.SeccompArg) ([][]libseccomp.ScmpCondition, error) {
	conds := make([]libseccomp.ScmpCondition, 0, len(args))
	seen := make(map[uint]bool)
	repeated := false
	for j, arg := range args {
		cond, err := condition(arg)
		if err != nil {
			return nil, fmt.Errorf("%s.args[%d]: %w", field, j, err)
		}
		conds = append(conds, cond)
		repeated = repeated || seen[arg.Index]
		seen[arg.Index] = true
	}
	if !repeated {
		return [][]libseccomp.ScmpCondition{conds}, nil
	}
	sets := make([][]libseccomp.ScmpCondition, len(conds))
	for j, cond := range conds {
		sets[j] = []libseccomp.ScmpCondition{cond}
	}
	return sets, nil
}

// condition converts one validated arg. MASKED_EQ compares
// (arg & value) with valueTwo; the others only use value.
func condition(arg configs.SeccompArg) (libseccomp.ScmpCondition, error) {
	op := operators[arg.Op]
	if op == libseccomp.CompareMaskedEqual {
		return libseccomp.MakeCondition(arg.Index, op, arg.Value, arg.ValueTwo)
	}
	return libseccomp.MakeCondition(arg.Index, op, arg.Value)
}

// addClone3Enosys makes clone3 fail with ENOSYS under a restrictive default
// when the profile says nothing about it: glibc then falls back to clone,
// where EPERM would make every thread creation fail. Engines' default
// profiles rely on this.
func addClone3Enosys(filter *libseccomp.ScmpFilter, cfg *configs.Seccomp, def libseccomp.ScmpAction) error {
	if permissive(cfg.DefaultAction) || names(cfg, "clone3") {
		return nil
	}
	nr, err := libseccomp.GetSyscallFromName("clone3")
	if err != nil {
		return nil // older than clone3: the ENOSYS stub covers it
	}
	act := libseccomp.ActErrno.SetReturnCode(int16(unix.ENOSYS))
	if act == def {
		return nil
	}
	if err := filter.AddRule(nr, act); err != nil {
		return fmt.Errorf("linux.seccomp: add ENOSYS rule for clone3: %w", err)
	}
	return nil
}

// names reports whether some rule of cfg names syscall.
func names(cfg *configs.Seccomp, syscall string) bool {
	for _, sc := range cfg.Syscalls {
		if slices.Contains(sc.Names, syscall) {
			return true
		}
	}
	return false
}
