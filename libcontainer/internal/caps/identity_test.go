package caps

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/user"
)

// childModeEnv tells a re-executed test binary which child scenario to run.
// The scenarios change the credentials of the process they run in, so they
// only ever run in a child, never in the `go test` process itself.
const childModeEnv = "OCIRUN_CAPS_TEST_CHILD"

const (
	modeIdentity     = "identity"      // drop, switch user, apply; print status
	modeIdentityExec = "identity-exec" // same, then exec busybox cat
	modeApplyNil     = "apply-nil"     // Apply(nil) only
	modeAllNil       = "all-nil"       // DropBounding(nil) + Apply(nil)
)

// statusKeys are the /proc status lines the parent checks.
var statusKeys = []string{"CapBnd", "CapEff", "CapPrm", "CapInh", "CapAmb", "Uid", "Gid", "Groups", "Umask"}

// testCaps is small on purpose: CAP_KILL is asked for as ambient but is not
// inheritable, so its raise must be skipped with a warning; CAP_BOGUS is
// unknown and must be ignored.
func testCaps() *configs.Capabilities {
	set := []string{"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_BOGUS"}
	return &configs.Capabilities{
		Bounding:    set,
		Effective:   set,
		Permitted:   set,
		Inheritable: []string{"CAP_NET_BIND_SERVICE"},
		Ambient:     []string{"CAP_NET_BIND_SERVICE", "CAP_KILL"},
	}
}

func testUser() configs.User {
	umask := uint32(0o027)
	return configs.User{UID: 1000, GID: 1000, AdditionalGids: []uint32{1001}, Umask: &umask}
}

func TestIdentityInChild(t *testing.T) {
	status, stderr := runChild(t, modeIdentity)
	expectStatus(t, status, map[string]string{
		"CapBnd": "0000000000000421",
		"CapEff": "0000000000000421",
		"CapPrm": "0000000000000421",
		"CapInh": "0000000000000400",
		"CapAmb": "0000000000000400",
		"Uid":    "1000 1000 1000 1000",
		"Gid":    "1000 1000 1000 1000",
		"Groups": "1001",
		"Umask":  "0027",
	})
	if !strings.Contains(stderr, "CAP_KILL not raised") {
		t.Errorf("no warning about the skipped ambient CAP_KILL; stderr:\n%s", stderr)
	}
}

// TestIdentityAfterExec checks what the user program really gets: after
// execve of a binary without file caps as uid 1000, only the ambient
// capability survives, in permitted and effective.
func TestIdentityAfterExec(t *testing.T) {
	if _, err := os.Stat("/bin/busybox"); err != nil {
		t.Skip("needs /bin/busybox")
	}
	status, _ := runChild(t, modeIdentityExec)
	expectStatus(t, status, map[string]string{
		"CapBnd": "0000000000000421",
		"CapEff": "0000000000000400",
		"CapPrm": "0000000000000400",
		"CapInh": "0000000000000400",
		"CapAmb": "0000000000000400",
		"Uid":    "1000 1000 1000 1000",
		"Gid":    "1000 1000 1000 1000",
		"Groups": "1001",
		"Umask":  "0027",
	})
}

func TestApplyNilInChild(t *testing.T) {
	status, _ := runChild(t, modeApplyNil)
	expectStatus(t, status, map[string]string{
		"CapEff": "0000000000000000",
		"CapPrm": "0000000000000000",
		"CapInh": "0000000000000000",
		"CapAmb": "0000000000000000",
	})
	if status["CapBnd"] == "0000000000000000" {
		t.Errorf("Apply(nil) must not touch the bounding set, got CapBnd 0")
	}
}

func TestDropBoundingAndApplyNilInChild(t *testing.T) {
	status, _ := runChild(t, modeAllNil)
	expectStatus(t, status, map[string]string{
		"CapBnd": "0000000000000000",
		"CapEff": "0000000000000000",
		"CapPrm": "0000000000000000",
		"CapInh": "0000000000000000",
		"CapAmb": "0000000000000000",
	})
}

// TestChildScenario is the child side; it does nothing unless re-executed
// by runChild.
func TestChildScenario(t *testing.T) {
	mode := os.Getenv(childModeEnv)
	if mode == "" {
		t.Skip("only runs as a re-executed child")
	}
	// Credentials are per thread: stay on the one we change.
	runtime.LockOSThread()
	if err := runScenario(mode); err != nil {
		t.Fatalf("%s: %v", mode, err)
	}
	if err := printStatus("/proc/thread-self/status"); err != nil {
		t.Fatal(err)
	}
}

func runScenario(mode string) error {
	switch mode {
	case modeIdentity, modeIdentityExec:
		if err := applyIdentity(); err != nil {
			return err
		}
		if mode == modeIdentityExec {
			err := unix.Exec("/bin/busybox", []string{"cat", "/proc/self/status"}, os.Environ())
			return fmt.Errorf("exec busybox: %w", err)
		}
		return nil
	case modeApplyNil:
		return Apply(nil)
	case modeAllNil:
		if err := DropBounding(nil); err != nil {
			return err
		}
		return Apply(nil)
	}
	return fmt.Errorf("unknown child mode %q", mode)
}

// applyIdentity follows the init's order: bounding while root, then the
// user switch, then the final sets.
func applyIdentity() error {
	c := testCaps()
	if err := DropBounding(c); err != nil {
		return err
	}
	if err := user.SetupUser(testUser()); err != nil {
		return err
	}
	return Apply(c)
}

func printStatus(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		for _, k := range statusKeys {
			if strings.HasPrefix(line, k+":") {
				fmt.Println(line)
			}
		}
	}
	return nil
}

// runChild re-executes this test binary in mode and returns the status
// lines it printed (keyed, whitespace normalised) and its stderr.
func runChild(t *testing.T, mode string) (map[string]string, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildScenario$", "-test.count=1")
	cmd.Env = append(os.Environ(), childModeEnv+"="+mode)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child %s: %v\nstdout:\n%s\nstderr:\n%s", mode, err, stdout.String(), stderr.String())
	}
	return parseStatus(stdout.String()), stderr.String()
}

func parseStatus(out string) map[string]string {
	status := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok {
			status[k] = strings.Join(strings.Fields(v), " ")
		}
	}
	return status
}

func expectStatus(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s = %q, want %q", k, g, w)
		}
	}
}
