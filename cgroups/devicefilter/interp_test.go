package devicefilter

import (
	"encoding/binary"
	"fmt"

	"github.com/cilium/ebpf/asm"
)

// devCtx is struct bpf_cgroup_dev_ctx before packing type and access.
type devCtx struct {
	typ, access, major, minor uint32
}

func (c devCtx) bytes() []byte {
	b := make([]byte, 12)
	binary.NativeEndian.PutUint32(b[0:], c.access<<16|c.typ)
	binary.NativeEndian.PutUint32(b[4:], c.major)
	binary.NativeEndian.PutUint32(b[8:], c.minor)
	return b
}

// machine runs the instruction subset Emit produces, so decision tables
// can be checked without the kernel (cgroup device programs do not
// support BPF_PROG_TEST_RUN). Anything else is an error, which also
// catches Emit starting to use instructions this model does not know.
type machine struct {
	regs    [11]uint64
	ctx     []byte
	symbols map[string]int
	// r1IsCtx is whether R1 still holds the context pointer, as loads
	// from the context are only valid through it.
	r1IsCtx bool
}

func (m *machine) set(r asm.Register, v uint64) {
	m.regs[r] = v
	if r == asm.R1 {
		m.r1IsCtx = false
	}
}

func runProgram(insns asm.Instructions, c devCtx) (uint32, error) {
	m := &machine{ctx: c.bytes(), symbols: map[string]int{}, r1IsCtx: true}
	for i, ins := range insns {
		if ins.OpCode.IsDWordLoad() {
			return 0, fmt.Errorf("insn %d: double-wide loads are not modelled", i)
		}
		if s := ins.Symbol(); s != "" {
			m.symbols[s] = i
		}
	}
	pc := 0
	for steps := 0; steps <= len(insns); steps++ {
		if pc < 0 || pc >= len(insns) {
			return 0, fmt.Errorf("pc %d out of program", pc)
		}
		next, done, err := m.step(pc, insns[pc])
		if err != nil {
			return 0, fmt.Errorf("insn %d (%v): %w", pc, insns[pc], err)
		}
		if done {
			return uint32(m.regs[asm.R0]), nil
		}
		if next <= pc {
			return 0, fmt.Errorf("insn %d: backward jump to %d", pc, next)
		}
		pc = next
	}
	return 0, fmt.Errorf("no exit reached")
}

// step executes one instruction and returns the next pc, or done on exit.
func (m *machine) step(pc int, ins asm.Instruction) (int, bool, error) {
	switch cls := ins.OpCode.Class(); {
	case cls == asm.LdXClass:
		return pc + 1, false, m.load(ins)
	case cls == asm.ALU64Class && ins.OpCode.ALUOp() == asm.Mov:
		m.set(ins.Dst, m.operand(ins))
		return pc + 1, false, nil
	case cls == asm.ALUClass:
		return pc + 1, false, m.alu32(ins)
	case cls == asm.JumpClass && ins.OpCode.JumpOp() == asm.Exit:
		return 0, true, nil
	case cls == asm.Jump32Class:
		return m.jump32(pc, ins)
	default:
		return 0, false, fmt.Errorf("opcode %v is not modelled", ins.OpCode)
	}
}

func (m *machine) load(ins asm.Instruction) error {
	if ins.OpCode.Mode() != asm.MemMode || ins.OpCode.Size() != asm.Word || ins.Src != asm.R1 || !m.r1IsCtx {
		return fmt.Errorf("only 32-bit loads from the context in R1 are modelled")
	}
	off := int(ins.Offset)
	if off < 0 || off+4 > len(m.ctx) || off%4 != 0 {
		return fmt.Errorf("context offset %d out of bounds", off)
	}
	m.set(ins.Dst, uint64(binary.NativeEndian.Uint32(m.ctx[off:])))
	return nil
}

// operand is the source: a register or the immediate.
func (m *machine) operand(ins asm.Instruction) uint64 {
	if ins.OpCode.Source() == asm.RegSource {
		return m.regs[ins.Src]
	}
	return uint64(ins.Constant)
}

// alu32 works on the low halves and zero-extends, as BPF ALU32 does.
func (m *machine) alu32(ins asm.Instruction) error {
	dst, src := uint32(m.regs[ins.Dst]), uint32(m.operand(ins))
	switch ins.OpCode.ALUOp() {
	case asm.Mov:
		dst = src
	case asm.And:
		dst &= src
	case asm.RSh:
		dst >>= src & 31
	default:
		return fmt.Errorf("ALU op %v is not modelled", ins.OpCode.ALUOp())
	}
	m.set(ins.Dst, uint64(dst))
	return nil
}

func (m *machine) jump32(pc int, ins asm.Instruction) (int, bool, error) {
	dst, src := uint32(m.regs[ins.Dst]), uint32(m.operand(ins))
	var taken bool
	switch ins.OpCode.JumpOp() {
	case asm.JEq:
		taken = dst == src
	case asm.JNE:
		taken = dst != src
	default:
		return 0, false, fmt.Errorf("jump op %v is not modelled", ins.OpCode.JumpOp())
	}
	if !taken {
		return pc + 1, false, nil
	}
	target, ok := m.symbols[ins.Reference()]
	if !ok {
		return 0, false, fmt.Errorf("jump to unknown label %q", ins.Reference())
	}
	return target, false, nil
}
