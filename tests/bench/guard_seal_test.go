package main

import (
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// startSleep starts sleep through path (with extra fds) and stops it at
// the end of the test.
func startSleep(t *testing.T, path string, extra ...*os.File) int {
	t.Helper()
	cmd := exec.Command(path, "30")
	cmd.Args[0] = "sleep"
	cmd.ExtraFiles = extra
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd.Process.Pid
}

func TestCheckExeSealedRefusesTheBinaryItself(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	pid := startSleep(t, sleep)
	err = checkExeSealed(pid, sleep)
	if err == nil || !strings.Contains(err.Error(), "protection off") {
		t.Fatalf("a process running the binary file itself passed the seal check: %v", err)
	}
}

func TestCheckExeSealedAcceptsSealedMemfd(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	mem := sealedCopy(t, sleep)
	// ExtraFiles[0] is fd 3 in the child, which execs it by path.
	pid := startSleep(t, "/proc/self/fd/3", mem)
	if err := checkExeSealed(pid, sleep); err != nil {
		t.Fatalf("sealed memfd copy refused: %v", err)
	}
}

func memfdCopy(t *testing.T, path string) *os.File {
	t.Helper()
	fd, err := unix.MemfdCreate("bench-test", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		t.Skipf("memfd_create: %v", err)
	}
	mem := os.NewFile(uintptr(fd), "bench-test")
	t.Cleanup(func() { mem.Close() })
	src, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := io.Copy(mem, src); err != nil {
		t.Fatal(err)
	}
	return mem
}

func sealedCopy(t *testing.T, path string) *os.File {
	mem := memfdCopy(t, path)
	seals := unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE
	if _, err := unix.FcntlInt(mem.Fd(), unix.F_ADD_SEALS, seals); err != nil {
		t.Fatalf("seal: %v", err)
	}
	return mem
}
