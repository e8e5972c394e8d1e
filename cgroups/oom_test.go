package cgroups

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// fakeV2OOM is a unified directory whose memory.events and cgroup.events
// the test rewrites: inotify sees writes to plain files as it sees the
// kernel's notifications on cgroupfs.
func fakeV2OOM(t *testing.T) (string, <-chan struct{}, context.CancelFunc) {
	t.Helper()
	dir := fakeCgroup(t, "memory.events=max 0\noom 2\noom_kill 2\n", "cgroup.events=populated 1\nfrozen 0\n")
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch, err := (&v2Manager{base: base{paths: map[string]string{"": dir}}}).NotifyOOM(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return dir, ch, cancel
}

// expectOOM waits for n events and then for nothing more for a moment.
func expectOOM(t *testing.T, ch <-chan struct{}, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		select {
		case _, ok := <-ch:
			if !ok {
				t.Fatalf("channel closed after %d of %d events", i, n)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("got %d of %d events", i, n)
		}
	}
	select {
	case _, ok := <-ch:
		if ok {
			t.Fatalf("more than %d events", n)
		}
		t.Fatalf("channel closed after %d events", n)
	case <-time.After(100 * time.Millisecond):
	}
}

func expectClosed(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	select {
	case _, ok := <-ch:
		if ok {
			t.Fatal("got an event, want the channel closed")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("channel not closed")
	}
}

// One event per increase of oom_kill; the kills counted before the watch
// began and changes of other counters are not events.
func TestOOMV2CountsKills(t *testing.T) {
	dir, ch, _ := fakeV2OOM(t)
	expectOOM(t, ch, 0)
	addFakeFiles(t, dir, "memory.events=max 4\noom 2\noom_kill 2\n")
	expectOOM(t, ch, 0)
	addFakeFiles(t, dir, "memory.events=max 4\noom 3\noom_kill 3\n")
	expectOOM(t, ch, 1)
	addFakeFiles(t, dir, "memory.events=max 4\noom 5\noom_kill 5\n")
	expectOOM(t, ch, 2)
	addFakeFiles(t, dir, "cgroup.events=populated 0\nfrozen 0\n")
	expectClosed(t, ch)
}

// Cancelling still delivers the kills already signalled, then closes.
func TestOOMV2CancelDeliversPending(t *testing.T) {
	dir, ch, cancel := fakeV2OOM(t)
	addFakeFiles(t, dir, "memory.events=max 0\noom 3\noom_kill 3\n")
	cancel()
	select {
	case _, ok := <-ch:
		if !ok {
			t.Fatal("closed before delivering the pending kill")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
	}
	expectClosed(t, ch)
}

func TestOOMV2CgroupRemoved(t *testing.T) {
	dir, ch, _ := fakeV2OOM(t)
	removeFake(t, dir, "cgroup.events")
	removeFake(t, dir, "memory.events")
	expectClosed(t, ch)
}

// Without the memory controller only the end of the cgroup is watched.
func TestOOMV2WithoutMemoryController(t *testing.T) {
	dir := fakeCgroup(t, "cgroup.events=populated 1\n")
	ch, err := (&v2Manager{base: base{paths: map[string]string{"": dir}}}).NotifyOOM(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	addFakeFiles(t, dir, "cgroup.events=populated 0\n")
	expectClosed(t, ch)

	_, err = (&v2Manager{base: base{paths: map[string]string{"": t.TempDir()}}}).NotifyOOM(context.Background())
	wantErr(t, err, "cgroup.events")
}

func TestOOMV1NeedsMemoryCgroup(t *testing.T) {
	_, err := (&v1Manager{base: base{paths: map[string]string{"pids": t.TempDir()}}}).NotifyOOM(context.Background())
	wantErr(t, err, "no memory cgroup")
	dir := t.TempDir()
	_, err = (&v1Manager{base: base{paths: map[string]string{"memory": dir}}}).NotifyOOM(context.Background())
	wantErr(t, err, dir+"/memory.oom_control")
}

// TestOOMOnHost runs a process out of memory in a real cgroup (v1 eventfd
// or v2 inotify, whichever this host has): the kill is reported, and the
// watch ends when the cgroup is removed.
func TestOOMOnHost(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	name := testCgroupName(t)
	cleanupTree(t, name)
	m, err := New(name, "unused-id")
	if err != nil {
		t.Fatal(err)
	}
	hog, release := startHog(t)
	if err := m.Apply(hog.Process.Pid); err != nil {
		t.Fatal(err)
	}
	limitMemory(t, m, 8<<20)
	ch, err := m.NotifyOOM(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := release.Write([]byte("go\n")); err != nil {
		t.Fatal(err)
	}
	expectOOM(t, ch, 1)
	err = hog.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("hog ended with %v, want SIGKILL", err)
	}
	if err := m.Destroy(); err != nil {
		t.Fatal(err)
	}
	expectClosed(t, ch)
}

// startHog starts a shell that, once it reads a line from release,
// doubles a string until the memory limit stops it.
func startHog(t *testing.T) (hog *exec.Cmd, release io.Writer) {
	t.Helper()
	cmd := exec.Command("/bin/busybox", "sh", "-c", `read _; x=0123456789abcdef; while :; do x=$x$x; done`)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("no busybox: %v", err)
	}
	t.Cleanup(func() { stdin.Close(); killAndWait(cmd) })
	return cmd, stdin
}

// limitMemory sets the limit and, where the host accounts swap, the same
// memory+swap limit so the process cannot escape to swap.
func limitMemory(t *testing.T, m Manager, limit int64) {
	t.Helper()
	if err := m.Set(&specs.LinuxResources{Memory: &specs.LinuxMemory{Limit: ptr(limit)}}); err != nil {
		t.Fatal(err)
	}
	_ = m.Set(&specs.LinuxResources{Memory: &specs.LinuxMemory{Limit: ptr(limit), Swap: ptr(limit)}})
}
