package initproc

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

// applyAttrs sets the scheduling, I/O priority, CPU affinity, personality
// and memory policy the program runs with. It runs while the init still
// has its capabilities (a real-time policy needs CAP_SYS_NICE).
func applyAttrs(ic *syncproto.InitConfig) error {
	p, cfg := ic.Process, ic.Config
	if err := setScheduler(p.Scheduler); err != nil {
		return err
	}
	if p.IOPriority != nil {
		if _, _, e := unix.Syscall(unix.SYS_IOPRIO_SET, 1 /* IOPRIO_WHO_PROCESS */, 0, uintptr(*p.IOPriority)); e != 0 {
			return fmt.Errorf("process.ioPriority: ioprio_set: %w", e)
		}
	}
	if ic.Exec && p.CPUAffinity != nil {
		if err := setFinalAffinity(p.CPUAffinity); err != nil {
			return err
		}
	}
	if cfg.Personality != nil {
		if _, _, e := unix.Syscall(unix.SYS_PERSONALITY, uintptr(*cfg.Personality), 0, 0); e != 0 {
			return fmt.Errorf("linux.personality: personality: %w", e)
		}
	}
	return setMemoryPolicy(cfg.MemoryPolicy)
}

func setScheduler(s *configs.SchedAttr) error {
	if s == nil {
		return nil
	}
	attr := unix.SchedAttr{
		Size: unix.SizeofSchedAttr, Policy: s.Policy, Flags: s.Flags, Nice: s.Nice,
		Priority: s.Priority, Runtime: s.Runtime, Deadline: s.Deadline, Period: s.Period,
	}
	if err := unix.SchedSetAttr(0, &attr, 0); err != nil {
		return fmt.Errorf("process.scheduler: sched_setattr: %w", err)
	}
	return nil
}

// setFinalAffinity gives an exec'd program its final CPUs; without a final
// list it gets every CPU its cpuset allows again (the initial list was only
// for the runtime's own setup).
func setFinalAffinity(a *configs.CPUAffinity) error {
	if len(a.Initial) == 0 && len(a.Final) == 0 {
		return nil
	}
	var set unix.CPUSet
	if len(a.Final) == 0 {
		for c := 0; c < len(set)*64; c++ {
			set.Set(c) // the kernel keeps only what the cpuset allows
		}
	}
	for _, c := range a.Final {
		set.Set(c)
	}
	if err := unix.SchedSetaffinity(0, &set); err != nil {
		return fmt.Errorf("process.execCPUAffinity.final: sched_setaffinity: %w", err)
	}
	return nil
}

func setMemoryPolicy(m *configs.MemoryPolicy) error {
	if m == nil {
		return nil
	}
	var mask, maxNode uintptr
	if len(m.Nodes) > 0 {
		mask = uintptr(unsafe.Pointer(&m.Nodes[0]))
		// The kernel reads maxnode-1 bits.
		maxNode = uintptr(len(m.Nodes)*64 + 1)
	}
	if _, _, e := unix.Syscall(unix.SYS_SET_MEMPOLICY, uintptr(m.Mode), mask, maxNode); e != 0 {
		return fmt.Errorf("linux.memoryPolicy: set_mempolicy: %w", e)
	}
	return nil
}
