package syncproto

import (
	"errors"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func pair(t *testing.T) (*os.File, *os.File) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	a, b := os.NewFile(uintptr(fds[0]), "a"), os.NewFile(uintptr(fds[1]), "b")
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

func TestRoundTripLargeConfigWithFd(t *testing.T) {
	a, b := pair(t)
	// Larger than a socket buffer: Send must not need the reader first
	// to finish, so write from a goroutine.
	big := strings.Repeat("x", 1<<20)
	msg := &Message{Type: TypeConfig, Init: &InitConfig{ID: "c", Config: &configs.Config{Hostname: big}, Process: &configs.Process{Args: []string{"sh"}}}}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	errc := make(chan error, 1)
	go func() { errc <- Send(a, msg, int(w.Fd())) }()
	got, fds, err := Expect(b, TypeConfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if got.Init.Config.Hostname != big || got.Init.Process.Args[0] != "sh" {
		t.Fatal("config did not survive the round trip")
	}
	if len(fds) != 1 {
		t.Fatalf("got %d fds, want 1", len(fds))
	}
	passed := os.NewFile(uintptr(fds[0]), "passed")
	defer passed.Close()
	if _, err := passed.Write([]byte("!")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1)
	if _, err := r.Read(buf); err != nil || buf[0] != '!' {
		t.Fatalf("passed fd is not the pipe: %v %q", err, buf)
	}
}

func TestExpectErrorAndClosed(t *testing.T) {
	a, b := pair(t)
	if err := Send(a, &Message{Type: TypeError, Msg: "mount /proc: boom"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Expect(b, TypeReady); err == nil || err.Error() != "mount /proc: boom" {
		t.Fatalf("error message not surfaced: %v", err)
	}
	if err := Send(a, &Message{Type: TypeChildPid, Pid: 7}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Expect(b, TypeReady); err == nil || !strings.Contains(err.Error(), "protocol error") {
		t.Fatalf("wrong type accepted: %v", err)
	}
	a.Close()
	if _, _, err := Recv(b); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed peer: %v", err)
	}
}

// The C stage writes frames by hand; this is its exact byte format.
func TestFrameFormatMatchesCStage(t *testing.T) {
	a, b := pair(t)
	body := `{"type":"child-pid","pid":42}`
	frame := append([]byte{0, 0, 0, byte(len(body))}, body...)
	if _, err := a.Write(frame); err != nil {
		t.Fatal(err)
	}
	msg, _, err := Expect(b, TypeChildPid)
	if err != nil || msg.Pid != 42 {
		t.Fatalf("got %+v, %v", msg, err)
	}
}

func TestOversizedHeaderRejected(t *testing.T) {
	a, b := pair(t)
	if _, err := a.Write([]byte{0xff, 0xff, 0xff, 0xff}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Recv(b); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("oversized message: %v", err)
	}
}
