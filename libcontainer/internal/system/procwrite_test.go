package system

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestWriteProcThreadSelfWritesThisThread(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tid := strconv.Itoa(unix.Gettid())
	comm := "/proc/self/task/" + tid + "/comm"
	old, err := os.ReadFile(comm)
	if err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(comm, old, 0)
	if err := WriteProcThreadSelf("comm", []byte("ocirun-test")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(comm)
	if strings.TrimSpace(string(got)) != "ocirun-test" {
		t.Fatalf("thread comm = %q, want ocirun-test", got)
	}
}

func TestWriteProcSelfAndPid(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to lower oom_score_adj back")
	}
	old, err := os.ReadFile("/proc/self/oom_score_adj")
	if err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile("/proc/self/oom_score_adj", old, 0)
	if err := WriteProcSelf("oom_score_adj", []byte("123")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile("/proc/self/oom_score_adj"); strings.TrimSpace(string(got)) != "123" {
		t.Fatalf("oom_score_adj = %q after WriteProcSelf", got)
	}
	if err := WriteProcPid(os.Getpid(), "oom_score_adj", []byte("234")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile("/proc/self/oom_score_adj"); strings.TrimSpace(string(got)) != "234" {
		t.Fatalf("oom_score_adj = %q after WriteProcPid", got)
	}
}

func TestWriteProcErrorsNameTheFile(t *testing.T) {
	err := WriteProcRoot("sys/no/such/sysctl", []byte("1"))
	if err == nil || !strings.Contains(err.Error(), "/proc/sys/no/such/sysctl") {
		t.Fatalf("err = %v, want one naming /proc/sys/no/such/sysctl", err)
	}
}
