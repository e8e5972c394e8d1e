// Package devicefilter enforces linux.resources.devices on cgroup v2, which
// has no devices controller: a BPF_PROG_TYPE_CGROUP_DEVICE program attached
// to the container's cgroup decides every device access.
package devicefilter

import (
	"fmt"

	"github.com/cilium/ebpf/asm"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/cgroups/devices"
)

// license is passed to the kernel with the program. The program calls no
// GPL-only helpers, so any string is accepted.
const license = "Apache"

// Registers of the emitted program. The kernel passes the context pointer
// in R1; once its three fields are loaded R1 is free for scratch work.
const (
	regType    = asm.R2 // BPF_DEVCG_DEV_CHAR or BPF_DEVCG_DEV_BLOCK
	regAccess  = asm.R3 // BPF_DEVCG_ACC_* bits requested
	regMajor   = asm.R4
	regMinor   = asm.R5
	regScratch = asm.R1
)

// Offsets of the fields of struct bpf_cgroup_dev_ctx, all u32.
const (
	ctxAccessType = 0 // low 16 bits: device type, high 16 bits: access
	ctxMajor      = 4
	ctxMinor      = 8
)

const defaultLabel = "default"

// Emit compiles linux.resources.devices into the instructions of a cgroup
// device program, returning them with the license to load them under.
//
// The rules are first applied, in order, to a model of the v1 devices
// cgroup (package devices), so the last rule that matches a device wins and an
// "a" rule discards everything before it. The program then checks the
// resulting exceptions and otherwise returns the default verdict: deny,
// unless an "allow a" rule was the last "a" rule. It returns 1 to allow
// and 0 to deny. Emit makes no system calls.
func Emit(rules []specs.LinuxDeviceCgroup) (asm.Instructions, string, error) {
	s, err := emulate(rules)
	if err != nil {
		return nil, "", err
	}
	return program(s), license, nil
}

// program lays out: load the context, one block per exception (each
// jumping to the next block when the device does not match), then the
// default verdict.
func program(s devices.State) asm.Instructions {
	insns := loadContext()
	exceptions := s.Sorted()
	for i, e := range exceptions {
		next := defaultLabel
		if i+1 < len(exceptions) {
			next = blockLabel(i + 1)
		}
		block := matchException(e, s.DefaultAllow, next)
		block[0] = block[0].WithSymbol(blockLabel(i))
		insns = append(insns, block...)
	}
	verdict := returnVerdict(s.DefaultAllow)
	verdict[0] = verdict[0].WithSymbol(defaultLabel)
	return append(insns, verdict...)
}

func blockLabel(i int) string {
	return fmt.Sprintf("exception_%d", i)
}

// loadContext splits bpf_cgroup_dev_ctx into regType, regAccess,
// regMajor and regMinor.
func loadContext() asm.Instructions {
	return asm.Instructions{
		asm.LoadMem(regType, asm.R1, ctxAccessType, asm.Word),
		asm.And.Imm32(regType, 0xffff),
		asm.LoadMem(regAccess, asm.R1, ctxAccessType, asm.Word),
		asm.RSh.Imm32(regAccess, 16),
		asm.LoadMem(regMajor, asm.R1, ctxMajor, asm.Word),
		asm.LoadMem(regMinor, asm.R1, ctxMinor, asm.Word),
	}
}

// matchException jumps to next unless the device matches e, and otherwise
// returns the exception's verdict, the opposite of the default.
//
// Access matches as in the v1 kernel: an allow exception must cover every
// requested bit (an "r" exception does not allow opening read-write), and
// a deny exception applies when it shares any bit with the request (a "w"
// deny also stops read-write opens). Comparisons are 32-bit (JMP32) so
// majors and minors above 2^31 compare as the kernel's u32 values.
func matchException(e devices.Exception, defaultAllow bool, next string) asm.Instructions {
	insns := asm.Instructions{asm.JNE.Imm32(regType, int32(bpfDeviceType(e.Kind)), next)}
	if e.Access != devices.All {
		insns = append(insns,
			asm.Mov.Reg32(regScratch, regAccess),
			asm.And.Imm32(regScratch, int32(e.Access)),
		)
		if defaultAllow {
			insns = append(insns, asm.JEq.Imm32(regScratch, 0, next))
		} else {
			insns = append(insns, asm.JNE.Reg32(regScratch, regAccess, next))
		}
	}
	if e.Major != devices.Wildcard {
		insns = append(insns, asm.JNE.Imm32(regMajor, int32(uint32(e.Major)), next))
	}
	if e.Minor != devices.Wildcard {
		insns = append(insns, asm.JNE.Imm32(regMinor, int32(uint32(e.Minor)), next))
	}
	return append(insns, returnVerdict(!defaultAllow)...)
}

// bpfDeviceType maps an exception's type (never "a": "a" rules only reset
// the state) to the kernel's constant.
func bpfDeviceType(kind byte) uint32 {
	if kind == 'b' {
		return unix.BPF_DEVCG_DEV_BLOCK
	}
	return unix.BPF_DEVCG_DEV_CHAR
}

func returnVerdict(allow bool) asm.Instructions {
	var v int32
	if allow {
		v = 1
	}
	return asm.Instructions{asm.Mov.Imm32(asm.R0, v), asm.Return()}
}
