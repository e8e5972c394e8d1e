package user

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// childEnv marks a re-executed test binary that should run SetupUser; the
// call changes credentials, so it never runs in the `go test` process.
const childEnv = "OCIRUN_USER_TEST_CHILD"

// TestSetupUserInChild checks the defaults (no extra groups clears root's,
// umask 0022) and that PR_SET_KEEPCAPS kept the permitted set while the
// uid change cleared the effective one.
func TestSetupUserInChild(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildSetupUser$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	status := parseStatus(stdout.String())
	want := map[string]string{
		"Uid":    "65534 65534 65534 65534",
		"Gid":    "65533 65533 65533 65533",
		"Groups": "",
		"Umask":  "0022",
		"CapEff": "0000000000000000",
	}
	for k, w := range want {
		if g, ok := status[k]; !ok || g != w {
			t.Errorf("%s = %q, want %q", k, g, w)
		}
	}
	if status["CapPrm"] == "" || status["CapPrm"] == "0000000000000000" {
		t.Errorf("CapPrm = %q, want the permitted set kept by PR_SET_KEEPCAPS", status["CapPrm"])
	}
}

func TestChildSetupUser(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("only runs as a re-executed child")
	}
	runtime.LockOSThread() // the identity change is per thread
	if err := SetupUser(configs.User{UID: 65534, GID: 65533}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("/proc/thread-self/status")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Print(string(data))
}

func parseStatus(out string) map[string]string {
	status := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			status[k] = strings.Join(strings.Fields(v), " ")
		}
	}
	return status
}
