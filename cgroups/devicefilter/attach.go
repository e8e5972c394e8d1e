package devicefilter

import (
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// programName shows in bpftool and /proc/<pid>/fdinfo (at most 15 bytes).
const programName = "ocirun_devices"

// Attach loads the program for rules and attaches it to the cgroup v2
// directory open as dirFd, then detaches every device program that was
// attached there before. Attaching first (BPF_F_ALLOW_MULTI) means an
// update never leaves the cgroup unfiltered; while both are attached a
// device must pass both, which is never more than either allows.
func Attach(dirFd int, rules []specs.LinuxDeviceCgroup) error {
	insns, lic, err := Emit(rules)
	if err != nil {
		return err
	}
	old, err := attachedPrograms(dirFd)
	if err != nil {
		return err
	}
	if err := attachNew(dirFd, insns, lic); err != nil {
		return err
	}
	return detachIDs(dirFd, old)
}

// Detach removes every device program attached to the cgroup directory
// open as dirFd, leaving device access unrestricted by cgroup v2.
func Detach(dirFd int) error {
	ids, err := attachedPrograms(dirFd)
	if err != nil {
		return err
	}
	return detachIDs(dirFd, ids)
}

func attachNew(dirFd int, insns asm.Instructions, lic string) error {
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Name:         programName,
		Type:         ebpf.CGroupDevice,
		Instructions: insns,
		License:      lic,
	})
	if err != nil {
		return fmt.Errorf("devices: load cgroup device program: %w", err)
	}
	// The attachment holds its own reference to the program.
	defer prog.Close()
	err = link.RawAttachProgram(link.RawAttachProgramOptions{
		Target:  dirFd,
		Program: prog,
		Attach:  ebpf.AttachCGroupDevice,
		Flags:   unix.BPF_F_ALLOW_MULTI,
	})
	if err != nil {
		return fmt.Errorf("devices: attach cgroup device program to fd %d: %w", dirFd, err)
	}
	return nil
}

// attachedPrograms lists the device programs attached directly to the
// cgroup (not those inherited from ancestors).
func attachedPrograms(dirFd int) ([]ebpf.ProgramID, error) {
	res, err := link.QueryPrograms(link.QueryOptions{
		Target: dirFd,
		Attach: ebpf.AttachCGroupDevice,
	})
	if err != nil {
		return nil, fmt.Errorf("devices: query cgroup device programs of fd %d: %w", dirFd, err)
	}
	ids := make([]ebpf.ProgramID, 0, len(res.Programs))
	for _, p := range res.Programs {
		ids = append(ids, p.ID)
	}
	return ids, nil
}

// detachIDs detaches each program, carrying on past failures so one bad
// entry does not keep the others attached.
func detachIDs(dirFd int, ids []ebpf.ProgramID) error {
	var errs []error
	for _, id := range ids {
		if err := detachID(dirFd, id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func detachID(dirFd int, id ebpf.ProgramID) error {
	prog, err := ebpf.NewProgramFromID(id)
	if errors.Is(err, unix.ENOENT) {
		return nil // already gone: detached and freed by someone else
	}
	if err != nil {
		return fmt.Errorf("devices: open cgroup device program id %d: %w", id, err)
	}
	defer prog.Close()
	err = link.RawDetachProgram(link.RawDetachProgramOptions{
		Target:  dirFd,
		Program: prog,
		Attach:  ebpf.AttachCGroupDevice,
	})
	if err != nil && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("devices: detach cgroup device program id %d from fd %d: %w", id, dirFd, err)
	}
	return nil
}
