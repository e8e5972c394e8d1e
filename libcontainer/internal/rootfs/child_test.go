package rootfs

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// The mount tests run their bodies in a re-executed test binary started in
// new mount/pid/uts/ipc namespaces, so Prepare's mounts and pivot_root
// never touch the host. The child reports through its exit code and output.

const scenarioEnv = "OCIRUN_ROOTFS_TEST_SCENARIO"

// scenarios are the child bodies, selected by scenarioEnv.
var scenarios = map[string]func() error{}

func TestMain(m *testing.M) {
	if name := os.Getenv(scenarioEnv); name != "" {
		os.Exit(runScenario(name))
	}
	os.Exit(m.Run())
}

func runScenario(name string) int {
	runtime.LockOSThread()
	fn, ok := scenarios[name]
	if !ok {
		fmt.Println("FAIL: unknown scenario", name)
		return 2
	}
	// The new mount namespace starts with the host's propagation; cut
	// it first so nothing a scenario does can reach the host.
	if err := unix.Mount("", "/", "", unix.MS_PRIVATE|unix.MS_REC, ""); err != nil {
		fmt.Println("FAIL: make / private:", err)
		return 2
	}
	if err := fn(); err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	fmt.Println("OK")
	return 0
}

// runChild runs scenario in new namespaces (plus extra clone flags) with
// env added, and fails t with the child's output if it did not pass.
func runChild(t *testing.T, scenario string, extraFlags uintptr, env ...string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	attr := &syscall.SysProcAttr{
		Cloneflags: unix.CLONE_NEWNS | unix.CLONE_NEWPID | unix.CLONE_NEWUTS | unix.CLONE_NEWIPC | extraFlags,
	}
	out, err := execScenario(scenario, attr, env...)
	if err != nil {
		t.Fatalf("scenario %s: %v\n%s", scenario, err, out)
	}
	return out
}

// execScenario re-executes the test binary to run scenario with attr.
func execScenario(scenario string, attr *syscall.SysProcAttr, env ...string) (string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), scenarioEnv+"="+scenario), env...)
	attr.Pdeathsig = syscall.SIGKILL
	cmd.SysProcAttr = attr
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// makeRootfs makes a minimal rootfs holding only /bin/busybox.
func makeRootfs(t *testing.T) string {
	t.Helper()
	rootfs := filepath.Join(t.TempDir(), "rootfs")
	if err := os.MkdirAll(filepath.Join(rootfs, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, "/bin/busybox", filepath.Join(rootfs, "bin", "busybox"), 0o755)
	return rootfs
}

func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Skipf("cannot read %s: %v", src, err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// checks collects failed expectations so one run reports all of them.
type checks struct{ errs []error }

func (c *checks) failf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

func (c *checks) err() error { return errors.Join(c.errs...) }
