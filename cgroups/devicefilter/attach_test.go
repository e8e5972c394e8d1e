package devicefilter

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

func skipUnlessRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
}

// cgroup2Base is where a test cgroup2 directory can be made: the unified
// hierarchy of a hybrid host, or the root on a pure cgroup v2 host.
func cgroup2Base(t *testing.T) string {
	t.Helper()
	for _, dir := range []string{"/sys/fs/cgroup/unified", "/sys/fs/cgroup"} {
		var st unix.Statfs_t
		if unix.Statfs(dir, &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
			return dir
		}
	}
	t.Skip("no cgroup2 hierarchy mounted")
	return ""
}

// testCgroup creates an empty cgroup2 directory and returns an fd for it;
// cleanup detaches the programs and removes the directory.
func testCgroup(t *testing.T) int {
	t.Helper()
	dir := filepath.Join(cgroup2Base(t), fmt.Sprintf("ocirun-unit-bpf-%d", rand.Uint64()))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(dir, unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		_ = os.Remove(dir)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := Detach(fd); err != nil {
			t.Errorf("cleanup: %v", err)
		}
		_ = unix.Close(fd)
		removeCgroup(t, dir)
	})
	return fd
}

// removeCgroup retries briefly: a reaped child may still be leaving.
func removeCgroup(t *testing.T, dir string) {
	var err error
	for range 50 {
		if err = unix.Rmdir(dir); err == nil || errors.Is(err, unix.ENOENT) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("cleanup: rmdir %s: %v", dir, err)
}

// openInCgroup runs a shell born in the cgroup (CLONE_INTO_CGROUP) that
// opens path for reading and writing; it returns the shell's error output
// when the open fails.
func openInCgroup(t *testing.T, fd int, path string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/busybox", "sh", "-c", `exec 3<>"$1"`, "sh", path)
	cmd.SysProcAttr = &syscall.SysProcAttr{UseCgroupFD: true, CgroupFD: fd}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("open %s: %w: %s", path, err, strings.TrimSpace(string(out)))
	}
	return nil
}

func attachedIDs(t *testing.T, fd int) []ebpf.ProgramID {
	t.Helper()
	ids, err := attachedPrograms(fd)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func expectOpen(t *testing.T, fd int, path string, allowed bool) {
	t.Helper()
	err := openInCgroup(t, fd, path)
	switch {
	case allowed && err != nil:
		t.Errorf("expected open to succeed: %v", err)
	case !allowed && err == nil:
		t.Errorf("open %s succeeded, expected EPERM", path)
	case !allowed && !strings.Contains(err.Error(), "Operation not permitted"):
		t.Errorf("expected EPERM: %v", err)
	}
}

func TestAttachReplaceDetach(t *testing.T) {
	skipUnlessRoot(t)
	if _, err := os.Stat("/bin/busybox"); err != nil {
		t.Skip("needs /bin/busybox")
	}
	fd := testCgroup(t)
	nullAndZero := []specs.LinuxDeviceCgroup{denyAll, dev(true, "c", 1, 3, "rwm"), dev(true, "c", 1, 5, "rwm")}

	if err := Attach(fd, nullAndZero); err != nil {
		t.Fatal(err)
	}
	first := attachedIDs(t, fd)
	if len(first) != 1 {
		t.Fatalf("after Attach: %d programs attached, want 1", len(first))
	}
	checkProgramName(t, first[0])
	expectOpen(t, fd, "/dev/null", true)
	expectOpen(t, fd, "/dev/zero", true)
	expectOpen(t, fd, "/dev/full", false)

	// Replacing: /dev/full becomes usable and still one program is attached.
	if err := Attach(fd, append(nullAndZero, dev(true, "c", 1, 7, "rw"))); err != nil {
		t.Fatal(err)
	}
	second := attachedIDs(t, fd)
	if len(second) != 1 || second[0] == first[0] {
		t.Fatalf("after replacing: programs %v, want one new one (old was %v)", second, first)
	}
	expectOpen(t, fd, "/dev/full", true)
	expectOpen(t, fd, "/dev/null", true)

	// Bad rules change nothing.
	if err := Attach(fd, []specs.LinuxDeviceCgroup{{Type: "x"}}); err == nil {
		t.Errorf("Attach accepted an invalid rule")
	}
	if ids := attachedIDs(t, fd); len(ids) != 1 || ids[0] != second[0] {
		t.Errorf("after a failed Attach: programs %v, want %v", ids, second)
	}

	if err := Detach(fd); err != nil {
		t.Fatal(err)
	}
	if ids := attachedIDs(t, fd); len(ids) != 0 {
		t.Fatalf("after Detach: programs %v, want none", ids)
	}
	if err := Detach(fd); err != nil {
		t.Errorf("second Detach: %v", err)
	}
}

func checkProgramName(t *testing.T, id ebpf.ProgramID) {
	t.Helper()
	prog, err := ebpf.NewProgramFromID(id)
	if err != nil {
		t.Fatal(err)
	}
	defer prog.Close()
	info, err := prog.Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != programName || info.Type != ebpf.CGroupDevice {
		t.Errorf("attached program is %q of type %v, want %q %v", info.Name, info.Type, programName, ebpf.CGroupDevice)
	}
}

// TestAttachReplacesForeignPrograms: every device program on the cgroup is
// replaced, as runc does, since leftovers would still restrict access.
func TestAttachReplacesForeignPrograms(t *testing.T) {
	skipUnlessRoot(t)
	fd := testCgroup(t)
	for range 2 {
		if err := attachNew(fd, mustEmit(t, []specs.LinuxDeviceCgroup{denyAll}), license); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(attachedIDs(t, fd)); n != 2 {
		t.Fatalf("%d programs attached, want 2", n)
	}
	if err := Attach(fd, []specs.LinuxDeviceCgroup{allowAll}); err != nil {
		t.Fatal(err)
	}
	if n := len(attachedIDs(t, fd)); n != 1 {
		t.Errorf("after Attach: %d programs attached, want 1", n)
	}
}

// TestKernelAcceptsPrograms loads every decision-table program, so the
// verifier agrees with the interpreter about what is well-formed.
func TestKernelAcceptsPrograms(t *testing.T) {
	skipUnlessRoot(t)
	for _, tc := range decisionTables {
		prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
			Name:         programName,
			Type:         ebpf.CGroupDevice,
			Instructions: mustEmit(t, tc.rules),
			License:      license,
		})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		prog.Close()
	}
}

func TestAttachBadFd(t *testing.T) {
	skipUnlessRoot(t)
	f, err := os.Open("/")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = Attach(int(f.Fd()), []specs.LinuxDeviceCgroup{denyAll})
	if err == nil || !strings.HasPrefix(err.Error(), "devices: ") {
		t.Errorf("Attach on a non-cgroup fd: %v", err)
	}
}

func mustEmit(t *testing.T, rules []specs.LinuxDeviceCgroup) asm.Instructions {
	t.Helper()
	insns, _, err := Emit(rules)
	if err != nil {
		t.Fatal(err)
	}
	return insns
}
