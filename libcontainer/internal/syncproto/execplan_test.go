package syncproto

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// planReader reads a plan back in the order nsenter.c does.
type planReader struct {
	t *testing.T
	b []byte
}

func (r *planReader) u32() uint32 {
	if len(r.b) < 4 {
		r.t.Fatalf("plan truncated")
	}
	v := binary.NativeEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *planReader) u64() uint64 { return uint64(r.u32()) | uint64(r.u32())<<32 }

func (r *planReader) strings() []string {
	n := r.u32()
	out := make([]string, n)
	for i := range out {
		end := bytes.IndexByte(r.b, 0)
		if end < 0 {
			r.t.Fatalf("unterminated string")
		}
		out[i], r.b = string(r.b[:end]), r.b[end+1:]
	}
	return out
}

func TestExecPlanLayout(t *testing.T) {
	p := &ExecPlan{
		NoNewPrivileges: true,
		Seccomp:         &configs.SeccompProgram{Filter: bytes.Repeat([]byte{1}, 16), Flags: 2},
		Keyring:         "_ses.c1", PreserveFds: 2,
		Args: []string{"sh", "-c", "true"}, Env: []string{"PATH=/bin", "HOME=/root"},
		Paths:   []string{"/bin/sh"},
		Rlimits: []configs.Rlimit{{Type: 7, Soft: 512, Hard: 1 << 40}},
		UID:     1000, GID: 1001, Umask: 0o22, Groups: []uint32{5, 6},
		Bounding: 1<<40 | 1, Effective: 2, Permitted: 3, Inheritable: 4, Ambient: 0,
		LastCap: 40, Cwd: "/home",
	}
	b, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	r := &planReader{t, b}
	if m, f := r.u32(), r.u32(); m != planMagic || f != planNNP|planSeccompLate|planKeyring {
		t.Fatalf("magic %#x flags %#x", m, f)
	}
	if fds, rows, cols, fl, n := r.u32(), r.u32(), r.u32(), r.u32(), r.u32(); fds != 2 || rows != 0 || cols != 0 || fl != 2 || n != 16 {
		t.Fatalf("preserve %d, console %dx%d, seccomp flags %d, length %d", fds, rows, cols, fl, n)
	}
	r.b = r.b[16:]
	for _, want := range [][]string{{"_ses.c1"}, p.Args, p.Env, p.Paths} {
		if got := r.strings(); strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("strings %q, want %q", got, want)
		}
	}
	if n, typ, soft, hard := r.u32(), r.u32(), r.u64(), r.u64(); n != 1 || typ != 7 || soft != 512 || hard != 1<<40 {
		t.Fatalf("rlimits %d: %d %d %d", n, typ, soft, hard)
	}
	if uid, gid, mask, ng, g1, g2 := r.u32(), r.u32(), r.u32(), r.u32(), r.u32(), r.u32(); uid != 1000 || gid != 1001 ||
		mask != 0o22 || ng != 2 || g1 != 5 || g2 != 6 {
		t.Fatalf("identity %d %d %o %d %d %d", uid, gid, mask, ng, g1, g2)
	}
	if bnd, eff, prm, inh, amb, last := r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u32(); bnd != 1<<40|1 ||
		eff != 2 || prm != 3 || inh != 4 || amb != 0 || last != 40 {
		t.Fatalf("caps %#x %#x %#x %#x %#x %d", bnd, eff, prm, inh, amb, last)
	}
	if cwd := r.strings(); len(cwd) != 1 || cwd[0] != "/home" || len(r.b) != 0 {
		t.Fatalf("cwd %q, %d bytes left", cwd, len(r.b))
	}
}

func TestExecPlanSeccompStageAndNoKeyring(t *testing.T) {
	p := &ExecPlan{Seccomp: &configs.SeccompProgram{Filter: make([]byte, 8)}, Args: []string{"x"}, Cwd: "/"}
	b, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	// Without noNewPrivileges the filter is loaded before the identity
	// (it needs CAP_SYS_ADMIN then); no keyring flag, an empty list.
	if f := binary.NativeEndian.Uint32(b[4:]); f != planSeccompEarly {
		t.Fatalf("flags %#x, want seccomp early only", f)
	}
}

func TestExecPlanTerminal(t *testing.T) {
	p := &ExecPlan{Terminal: true, ConsoleSize: &specs.Box{Height: 24, Width: 80}, Args: []string{"sh"}, Cwd: "/"}
	b, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	r := &planReader{t, b}
	r.u32()
	if flags, _, rows, cols := r.u32(), r.u32(), r.u32(), r.u32(); flags != planTerminal|planWinsize || rows != 24 || cols != 80 {
		t.Fatalf("flags %#x, console %dx%d", flags, rows, cols)
	}
	// Without a size, no winsize flag (the pty keeps the kernel's 0x0).
	p.ConsoleSize = nil
	if b, _ = p.Encode(); binary.NativeEndian.Uint32(b[4:]) != planTerminal {
		t.Fatalf("flags %#x without consoleSize", binary.NativeEndian.Uint32(b[4:]))
	}
}

func TestExecPlanRefusesNUL(t *testing.T) {
	p := &ExecPlan{Args: []string{"sh"}, Env: []string{"A=b\x00c"}, Cwd: "/"}
	if _, err := p.Encode(); err == nil || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("err = %v, want a NUL refusal", err)
	}
}
