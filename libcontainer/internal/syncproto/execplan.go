package syncproto

import (
	"encoding/binary"
	"fmt"
	"os"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// EnvExecStage tells the C stage to read an exec plan and exec the program
// itself (message 3b in the package doc).
const EnvExecStage = "_OCIRUN_EXEC_STAGE"

// ExecPlan is the "exec-plan" message: everything the C stage needs to turn
// the process that joined a container into the program, with the values
// the Go init would have used, already resolved by the parent. It is binary
// so that the C stage reads it without a JSON parser.
//
// Layout (unsigned 32-bit words in native order; a 64-bit value is its low
// word then its high word; a string list is a count and that many
// NUL-terminated strings), in the order nsenter.c reads it:
//
//	magic "OCX1", flags, preserveFds, console rows, console columns,
//	seccomp flags, seccomp length,
//	seccomp filter (raw sock_filter array), [keyring], argv, envp,
//	candidate paths, rlimit count, {type, soft (64), hard (64)}...,
//	uid, gid, umask, group count, groups..., bounding (64), effective (64),
//	permitted (64), inheritable (64), ambient (64), last cap, [cwd]
type ExecPlan struct {
	NoNewPrivileges bool
	// Seccomp is the filter to load (nil: none): before the identity
	// without NoNewPrivileges, right before execve with it.
	Seccomp *configs.SeccompProgram
	// Keyring is the session keyring to join ("": none).
	Keyring     string
	PreserveFds int
	// Terminal: a pty from the container's devpts, its master sent to the
	// parent in a "console" message (5); ConsoleSize, if set, its size.
	Terminal    bool
	ConsoleSize *specs.Box
	// Console: the pty slave is bind-mounted on /dev/console (a new
	// container's init; never for exec).
	Console   bool
	Args, Env []string
	// Paths are the candidates for Args[0], tried in order (PATH lookup).
	Paths   []string
	Rlimits []configs.Rlimit
	UID     uint32
	GID     uint32
	Umask   uint32
	Groups  []uint32
	// Capability sets as masks (bit n: capability n). Ambient holds only
	// what the kernel will accept (in Permitted and Inheritable).
	Bounding, Effective, Permitted, Inheritable, Ambient uint64
	LastCap                                              uint32
	Cwd                                                  string
}

// Flags of the plan, as nsenter.c defines them.
const (
	planMagic        = 0x3158434f // "OCX1" in little-endian memory
	planNNP          = 1
	planSeccompEarly = 2
	planSeccompLate  = 4
	planKeyring      = 8
	planTerminal     = 16
	planWinsize      = 32
	planConsole      = 64
)

// Encode lays the plan out as nsenter.c reads it. A string holding a NUL
// byte cannot be passed to execve and is refused.
func (p *ExecPlan) Encode() ([]byte, error) {
	var e planEncoder
	flags := uint32(0)
	var filter []byte
	if p.NoNewPrivileges {
		flags |= planNNP
	}
	if p.Seccomp != nil {
		filter = p.Seccomp.Filter
		if p.NoNewPrivileges {
			flags |= planSeccompLate
		} else {
			flags |= planSeccompEarly
		}
	}
	var keyring []string
	if p.Keyring != "" {
		flags |= planKeyring
		keyring = []string{p.Keyring}
	}
	var rows, cols uint32
	if p.Terminal {
		flags |= planTerminal
	}
	if p.Terminal && p.Console {
		flags |= planConsole
	}
	if p.Terminal && p.ConsoleSize != nil {
		flags |= planWinsize
		rows, cols = uint32(p.ConsoleSize.Height), uint32(p.ConsoleSize.Width)
	}
	e.u32(planMagic, flags, uint32(p.PreserveFds), rows, cols)
	if p.Seccomp != nil {
		e.u32(uint32(p.Seccomp.Flags))
	} else {
		e.u32(0)
	}
	e.u32(uint32(len(filter)))
	e.b = append(e.b, filter...)
	e.strings(keyring)
	e.strings(p.Args)
	e.strings(p.Env)
	e.strings(p.Paths)
	e.u32(uint32(len(p.Rlimits)))
	for _, l := range p.Rlimits {
		e.u32(uint32(l.Type))
		e.u64(l.Soft, l.Hard)
	}
	e.u32(p.UID, p.GID, p.Umask, uint32(len(p.Groups)))
	e.u32(p.Groups...)
	e.u64(p.Bounding, p.Effective, p.Permitted, p.Inheritable, p.Ambient)
	e.u32(p.LastCap)
	e.strings([]string{p.Cwd})
	if e.nul != "" {
		return nil, fmt.Errorf("exec: %q contains a NUL byte", e.nul)
	}
	return e.b, nil
}

type planEncoder struct {
	b   []byte
	nul string // the first string with a NUL byte
}

func (e *planEncoder) u32(vs ...uint32) {
	for _, v := range vs {
		e.b = binary.NativeEndian.AppendUint32(e.b, v)
	}
}

func (e *planEncoder) u64(vs ...uint64) {
	for _, v := range vs {
		e.u32(uint32(v), uint32(v>>32))
	}
}

func (e *planEncoder) strings(list []string) {
	e.u32(uint32(len(list)))
	for _, s := range list {
		if e.nul == "" && strings.IndexByte(s, 0) >= 0 {
			e.nul = s
		}
		e.b = append(append(e.b, s...), 0)
	}
}

// SendExecPlan writes the plan as one frame (length, then the plan).
func SendExecPlan(sock *os.File, p *ExecPlan) error {
	body, err := p.Encode()
	if err != nil {
		return err
	}
	return sendFrame(sock, body, "exec plan")
}

// sendFrame writes one binary message: its length, then body.
func sendFrame(sock *os.File, body []byte, what string) error {
	buf := binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(body)), uint32(len(body)))
	if _, err := sock.Write(append(buf, body...)); err != nil {
		return fmt.Errorf("send %s: %w", what, err)
	}
	return nil
}
