package initproc

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// The cwd check needs a chroot, which changes the whole process: the test
// re-executes its binary to do it there.
const cwdChildEnv = "OCIRUN_INITPROC_TEST_CWD_ROOT"

func TestMain(m *testing.M) {
	if root := os.Getenv(cwdChildEnv); root != "" {
		os.Exit(cwdChild(root))
	}
	os.Exit(m.Run())
}

// cwdChild keeps its cwd outside the new root, as a cwd of
// /proc/self/fd/N naming a host directory would leave it, and reports
// what enterCwd makes of it.
func cwdChild(root string) int {
	if err := unix.Chroot(root); err != nil {
		fmt.Println("chroot:", err)
		return 2
	}
	if err := enterCwd("."); err != nil {
		fmt.Println("refused:", err)
		return 0
	}
	fmt.Println("accepted a cwd outside the root")
	return 1
}

func TestEnterCwdRefusesDirectoryOutsideRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for chroot")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Dir = t.TempDir() // outside the root below
	cmd.Env = append(os.Environ(), cwdChildEnv+"="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(string(out), "is outside the container's root filesystem") {
		t.Fatalf("unexpected refusal: %s", out)
	}
}

func TestEnterCwdInsideRoot(t *testing.T) {
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	dir := t.TempDir()
	if err := enterCwd(dir); err != nil {
		t.Fatal(err)
	}
	if err := enterCwd(dir + "/missing"); err == nil || !strings.HasPrefix(err.Error(), "process.cwd: chdir") {
		t.Fatalf("missing cwd: %v", err)
	}
}
