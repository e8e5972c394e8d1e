package specconv

import (
	"fmt"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// The one-syscall attributes: process.scheduler, process.ioPriority,
// process.execCPUAffinity, linux.personality and linux.memoryPolicy,
// checked and turned into the kernel's numbers.

// convertProcessAttrs fills the scheduler, I/O priority and exec CPU
// affinity of out from p.
func convertProcessAttrs(p *specs.Process, out *configs.Process) error {
	var err error
	if out.Scheduler, err = convertScheduler(p.Scheduler); err != nil {
		return err
	}
	if out.IOPriority, err = convertIOPriority(p.IOPriority); err != nil {
		return err
	}
	out.CPUAffinity, err = convertCPUAffinity(p.ExecCPUAffinity)
	return err
}

// convertLinuxAttrs fills the personality and memory policy of config.
func convertLinuxAttrs(spec *specs.Spec, _ string, config *configs.Config) error {
	var err error
	if config.Personality, err = convertPersonality(spec.Linux.Personality); err != nil {
		return err
	}
	config.MemoryPolicy, err = convertMemoryPolicy(spec.Linux.MemoryPolicy)
	return err
}

var schedPolicies = map[specs.LinuxSchedulerPolicy]uint32{
	specs.SchedOther: unix.SCHED_NORMAL, specs.SchedFIFO: unix.SCHED_FIFO,
	specs.SchedRR: unix.SCHED_RR, specs.SchedBatch: unix.SCHED_BATCH,
	specs.SchedISO: 4, specs.SchedIdle: unix.SCHED_IDLE, specs.SchedDeadline: unix.SCHED_DEADLINE,
}

var schedFlags = map[specs.LinuxSchedulerFlag]uint64{
	specs.SchedFlagResetOnFork: 0x01, specs.SchedFlagReclaim: 0x02, specs.SchedFlagDLOverrun: 0x04,
	specs.SchedFlagKeepPolicy: 0x08, specs.SchedFlagKeepParams: 0x10,
	specs.SchedFlagUtilClampMin: 0x20, specs.SchedFlagUtilClampMax: 0x40,
}

func convertScheduler(s *specs.Scheduler) (*configs.SchedAttr, error) {
	if s == nil {
		return nil, nil
	}
	policy, ok := schedPolicies[s.Policy]
	if !ok {
		return nil, fmt.Errorf("process.scheduler.policy: unknown policy %q", s.Policy)
	}
	if s.Nice < -20 || s.Nice > 19 {
		return nil, fmt.Errorf("process.scheduler.nice: %d is outside -20..19", s.Nice)
	}
	realtime := s.Policy == specs.SchedFIFO || s.Policy == specs.SchedRR
	if (realtime && (s.Priority < 1 || s.Priority > 99)) || (!realtime && s.Priority != 0) {
		return nil, fmt.Errorf("process.scheduler.priority: %d: must be 1..99 for SCHED_FIFO and SCHED_RR, 0 otherwise", s.Priority)
	}
	a := &configs.SchedAttr{Policy: policy, Nice: s.Nice, Priority: uint32(s.Priority),
		Runtime: s.Runtime, Deadline: s.Deadline, Period: s.Period}
	for i, f := range s.Flags {
		v, ok := schedFlags[f]
		if !ok {
			return nil, fmt.Errorf("process.scheduler.flags[%d]: unknown flag %q", i, f)
		}
		a.Flags |= v
	}
	return a, nil
}

var ioPrioClasses = map[specs.IOPriorityClass]int{
	specs.IOPRIO_CLASS_RT: 1, specs.IOPRIO_CLASS_BE: 2, specs.IOPRIO_CLASS_IDLE: 3,
}

// convertIOPriority builds the ioprio value: class << 13 | level.
func convertIOPriority(p *specs.LinuxIOPriority) (*int, error) {
	if p == nil {
		return nil, nil
	}
	class, ok := ioPrioClasses[p.Class]
	if !ok {
		return nil, fmt.Errorf("process.ioPriority.class: unknown class %q", p.Class)
	}
	if p.Priority < 0 || p.Priority > 7 {
		return nil, fmt.Errorf("process.ioPriority.priority: %d is outside 0..7", p.Priority)
	}
	v := class<<13 | p.Priority
	return &v, nil
}

func convertCPUAffinity(a *specs.CPUAffinity) (*configs.CPUAffinity, error) {
	if a == nil {
		return nil, nil
	}
	initial, err := parseCPUList("process.execCPUAffinity.initial", a.Initial)
	if err != nil {
		return nil, err
	}
	final, err := parseCPUList("process.execCPUAffinity.final", a.Final)
	if err != nil {
		return nil, err
	}
	return &configs.CPUAffinity{Initial: initial, Final: final}, nil
}

// parseCPUList reads a list like "0-3,7" (cpuset format).
func parseCPUList(field, list string) ([]int, error) {
	if list == "" {
		return nil, nil
	}
	var cpus []int
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		first, err1 := strconv.Atoi(lo)
		last, err2 := first, error(nil)
		if isRange {
			last, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || first < 0 || last < first || last >= 1024 {
			return nil, fmt.Errorf("%s: invalid list %q (format: \"0-3,7\")", field, list)
		}
		for c := first; c <= last; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus, nil
}

func convertPersonality(p *specs.LinuxPersonality) (*uint64, error) {
	if p == nil {
		return nil, nil
	}
	if len(p.Flags) > 0 {
		return nil, fmt.Errorf("linux.personality.flags: %q: no flags are defined", p.Flags[0])
	}
	var v uint64
	switch p.Domain {
	case specs.PerLinux:
		v = 0x0000 // PER_LINUX
	case specs.PerLinux32:
		v = 0x0008 // PER_LINUX32
	default:
		return nil, fmt.Errorf("linux.personality.domain: unknown domain %q (LINUX or LINUX32)", p.Domain)
	}
	return &v, nil
}

var mpolModes = map[specs.MemoryPolicyModeType]int{
	specs.MpolDefault: unix.MPOL_DEFAULT, specs.MpolPreferred: unix.MPOL_PREFERRED,
	specs.MpolBind: unix.MPOL_BIND, specs.MpolInterleave: unix.MPOL_INTERLEAVE,
	specs.MpolLocal: unix.MPOL_LOCAL, specs.MpolPreferredMany: 5, specs.MpolWeightedInterleave: 6,
}

var mpolFlags = map[specs.MemoryPolicyFlagType]int{
	specs.MpolFStaticNodes: 1 << 15, specs.MpolFRelativeNodes: 1 << 14, specs.MpolFNumaBalancing: 1 << 13,
}

func convertMemoryPolicy(m *specs.LinuxMemoryPolicy) (*configs.MemoryPolicy, error) {
	if m == nil {
		return nil, nil
	}
	mode, ok := mpolModes[m.Mode]
	if !ok {
		return nil, fmt.Errorf("linux.memoryPolicy.mode: unknown mode %q", m.Mode)
	}
	for i, f := range m.Flags {
		v, ok := mpolFlags[f]
		if !ok {
			return nil, fmt.Errorf("linux.memoryPolicy.flags[%d]: unknown flag %q", i, f)
		}
		mode |= v
	}
	nodes, err := parseCPUList("linux.memoryPolicy.nodes", m.Nodes)
	if err != nil {
		return nil, err
	}
	needsNodes := m.Mode != specs.MpolDefault && m.Mode != specs.MpolLocal
	if needsNodes != (len(nodes) > 0) {
		return nil, fmt.Errorf("linux.memoryPolicy.nodes: %s takes %s", m.Mode, map[bool]string{true: "a node list", false: "no nodes"}[needsNodes])
	}
	mask := make([]uint64, 1024/64)
	for _, n := range nodes {
		mask[n/64] |= 1 << (n % 64)
	}
	if len(nodes) == 0 {
		mask = nil
	}
	return &configs.MemoryPolicy{Mode: mode, Nodes: mask}, nil
}
