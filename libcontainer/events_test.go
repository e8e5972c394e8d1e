package libcontainer

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ocirun/ocirun/cgroups"
	"github.com/ocirun/ocirun/libcontainer/internal/system"
)

// fakeContainer is a container whose init is a sleep started by the test
// and whose cgroup is a plain directory of fake v2 files.
func fakeContainer(t *testing.T) (*Container, *exec.Cmd, string) {
	t.Helper()
	cg := t.TempDir()
	writeFake(t, cg, "cpu.stat", "usage_usec 2000\nuser_usec 1500\nsystem_usec 500\n")
	writeFake(t, cg, "memory.stat", "anon 4096\nfile 0\n")
	writeFake(t, cg, "memory.current", "4096")
	writeFake(t, cg, "memory.max", "max")
	writeFake(t, cg, "memory.events", "max 0\noom 0\noom_kill 0\n")
	writeFake(t, cg, "cgroup.events", "populated 1\nfrozen 0\n")
	writeFake(t, cg, "cgroup.procs", "1\n")
	sleeper := exec.Command("sleep", "60")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = sleeper.Process.Kill()
		_ = sleeper.Wait()
	})
	st, err := system.Stat(sleeper.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	c := &Container{dir: t.TempDir(), state: State{
		ID: "ev", InitPid: sleeper.Process.Pid, InitStartTime: st.StartTime,
		Cgroup: cgroups.State{Version: 2, Paths: map[string]string{"": cg}},
	}}
	return c, sleeper, cg
}

func writeFake(t *testing.T, dir, file, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func next(t *testing.T, events <-chan Event) (Event, bool) {
	t.Helper()
	select {
	case e, ok := <-events:
		return e, ok
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return Event{}, false
}

func TestEventsStream(t *testing.T) {
	c, sleeper, cg := fakeContainer(t)
	goroutines := runtime.NumGoroutine()
	events, err := c.Events(context.Background(), 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := next(t, events)
	if !ok || e.Type != EventStats || e.ID != "ev" || e.Data == nil || e.Data.CPU.Usage.Total != 2000000 {
		t.Fatalf("first event %+v (open %v), want stats with cpu total 2000000", e, ok)
	}
	writeFake(t, cg, "memory.events", "max 0\noom 1\noom_kill 1\n")
	for e.Type != EventOOM {
		if e, ok = next(t, events); !ok {
			t.Fatal("stream closed before the oom event")
		}
	}
	if e.ID != "ev" || e.Data != nil {
		t.Fatalf("oom event %+v: want the id and no data", e)
	}
	// The init's exit ends the stream, even though the (fake) cgroup
	// still reads as populated.
	_ = sleeper.Process.Kill()
	deadline := time.After(5 * time.Second)
	for ok {
		select {
		case _, ok = <-events:
		case <-deadline:
			t.Fatal("stream not closed after the init exited")
		}
	}
	// The init watch and the OOM watch end with the stream.
	for i := 0; runtime.NumGoroutine() > goroutines; i++ {
		if i == 100 {
			t.Fatalf("%d goroutines left, %d before the stream", runtime.NumGoroutine(), goroutines)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A failed stats read is an error event and the stream goes on.
func TestEventsStatsError(t *testing.T) {
	c, _, cg := fakeContainer(t)
	writeFake(t, cg, "cpu.stat", "usage_usec many\n")
	ctx, cancel := context.WithCancel(context.Background())
	events, err := c.Events(ctx, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := next(t, events)
	if e.Type != EventError || e.Err == nil {
		t.Fatalf("event %+v, want an error event", e)
	}
	writeFake(t, cg, "cpu.stat", "usage_usec 1\n")
	if e, _ = next(t, events); e.Type != EventStats {
		t.Fatalf("event %+v, want stats again", e)
	}
	cancel()
	for range events { // closes once cancelled
	}
}

func TestEventsRefusesStoppedContainerAndBadInterval(t *testing.T) {
	c, sleeper, _ := fakeContainer(t)
	if _, err := c.Events(context.Background(), 0); err == nil {
		t.Fatal("interval 0 accepted")
	}
	_ = sleeper.Process.Kill()
	_ = sleeper.Wait()
	_, err := c.Events(context.Background(), time.Second)
	if !errors.Is(err, ErrNotRunning) {
		t.Fatalf("stopped container: got %v, want ErrNotRunning", err)
	}
	if _, err := c.Stats(); !errors.Is(err, ErrNotRunning) || err.Error() != `container "ev" is not running` {
		t.Fatalf("Stats on a stopped container: got %v", err)
	}
}

// An OOM kill signalled just before the init exits (the usual order when
// the init itself is killed) is delivered before the stream closes.
func TestEventsOOMAtExit(t *testing.T) {
	c, sleeper, cg := fakeContainer(t)
	events, err := c.Events(context.Background(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	writeFake(t, cg, "memory.events", "max 1\noom 1\noom_kill 1\n")
	_ = sleeper.Process.Kill()
	var got []string
	for {
		e, ok := next(t, events)
		if !ok {
			break
		}
		got = append(got, e.Type)
	}
	if len(got) != 1 || got[0] != EventOOM {
		t.Fatalf("events %v, want one oom", got)
	}
}
