package seccomp

import (
	"encoding/binary"
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

// A classic-BPF interpreter for seccomp programs, enough for what
// libseccomp and the ENOSYS stub emit: it lets the tests check the
// verdict of a compiled program for any syscall without loading it.

// call is the struct seccomp_data a program sees.
type call struct {
	nr   int32
	arch uint32
	args [maxArgs]uint64
}

// bytes lays the call out as struct seccomp_data (native order).
func (c call) bytes() []byte {
	b := binary.NativeEndian.AppendUint32(nil, uint32(c.nr))
	b = binary.NativeEndian.AppendUint32(b, c.arch)
	b = binary.NativeEndian.AppendUint64(b, 0) // instruction pointer
	for _, a := range c.args {
		b = binary.NativeEndian.AppendUint64(b, a)
	}
	return b
}

// run returns the program's verdict (SECCOMP_RET_* | data) for c.
func run(t *testing.T, prog []unix.SockFilter, c call) uint32 {
	t.Helper()
	ret, err := interpret(prog, c.bytes())
	if err != nil {
		t.Fatalf("run %+v: %v", c, err)
	}
	return ret
}

func interpret(prog []unix.SockFilter, data []byte) (uint32, error) {
	var a, x uint32
	var mem [16]uint32
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		switch in.Code & 0x07 {
		case unix.BPF_LD:
			v, err := load(in, data, mem[:])
			if err != nil {
				return 0, fmt.Errorf("pc %d: %w", pc, err)
			}
			a = v
		case unix.BPF_LDX:
			v, err := load(in, data, mem[:])
			if err != nil {
				return 0, fmt.Errorf("pc %d: %w", pc, err)
			}
			x = v
		case unix.BPF_ST:
			mem[in.K%16] = a
		case unix.BPF_STX:
			mem[in.K%16] = x
		case unix.BPF_ALU:
			a = alu(in, a, x)
		case unix.BPF_JMP:
			pc += jump(in, a, x)
		case unix.BPF_RET:
			if in.Code&0x18 == unix.BPF_A {
				return a, nil
			}
			return in.K, nil
		case unix.BPF_MISC:
			if in.Code&0xf8 == unix.BPF_TAX {
				x = a
			} else {
				a = x
			}
		}
	}
	return 0, fmt.Errorf("fell off the end of the program")
}

func load(in unix.SockFilter, data []byte, mem []uint32) (uint32, error) {
	switch in.Code & 0xe0 {
	case unix.BPF_ABS:
		if in.Code&0x18 != unix.BPF_W || int(in.K)+4 > len(data) || in.K%4 != 0 {
			return 0, fmt.Errorf("bad load %#x at offset %d", in.Code, in.K)
		}
		return binary.NativeEndian.Uint32(data[in.K:]), nil
	case unix.BPF_IMM:
		return in.K, nil
	case unix.BPF_MEM:
		return mem[in.K%16], nil
	case unix.BPF_LEN:
		return uint32(len(data)), nil
	}
	return 0, fmt.Errorf("unsupported load %#x", in.Code)
}

func alu(in unix.SockFilter, a, x uint32) uint32 {
	src := in.K
	if in.Code&unix.BPF_X != 0 {
		src = x
	}
	switch in.Code & 0xf0 {
	case unix.BPF_ADD:
		return a + src
	case unix.BPF_SUB:
		return a - src
	case unix.BPF_MUL:
		return a * src
	case unix.BPF_DIV:
		return a / src
	case unix.BPF_MOD:
		return a % src
	case unix.BPF_OR:
		return a | src
	case unix.BPF_AND:
		return a & src
	case unix.BPF_XOR:
		return a ^ src
	case unix.BPF_LSH:
		return a << src
	case unix.BPF_RSH:
		return a >> src
	case unix.BPF_NEG:
		return -a
	}
	return a
}

// jump returns how many instructions to skip.
func jump(in unix.SockFilter, a, x uint32) int {
	src := in.K
	if in.Code&unix.BPF_X != 0 {
		src = x
	}
	var taken bool
	switch in.Code & 0xf0 {
	case unix.BPF_JA:
		return int(in.K)
	case unix.BPF_JEQ:
		taken = a == src
	case unix.BPF_JGT:
		taken = a > src
	case unix.BPF_JGE:
		taken = a >= src
	case unix.BPF_JSET:
		taken = a&src != 0
	}
	if taken {
		return int(in.Jt)
	}
	return int(in.Jf)
}
