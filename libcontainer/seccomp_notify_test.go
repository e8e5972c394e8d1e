package libcontainer

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// TestSendToAgent: the agent gets the state and a working copy of the fd
// in one message.
func TestSendToAgent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	errc := make(chan error, 1)
	go func() { errc <- sendToAgent(path, []byte(`{"pid":42}`), int(w.Fd())) }()
	conn, err := ln.AcceptUnix()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	buf, oob := make([]byte, 64), make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if string(buf[:n]) != `{"pid":42}` {
		t.Fatalf("state %q", buf[:n])
	}
	msgs, _ := unix.ParseSocketControlMessage(oob[:oobn])
	if len(msgs) != 1 {
		t.Fatalf("%d control messages", len(msgs))
	}
	fds, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(fds) != 1 {
		t.Fatalf("fds %v, %v", fds, err)
	}
	sent := os.NewFile(uintptr(fds[0]), "sent")
	defer sent.Close()
	if _, err := sent.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.Read(buf); string(buf[:n]) != "x" {
		t.Fatal("the fd received is not the pipe sent")
	}
}

func TestSendToAgentNoListener(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nobody.sock")
	if err := sendToAgent(path, []byte("{}"), 0); err == nil {
		t.Fatal("no error without an agent")
	}
}

func TestSeccompState(t *testing.T) {
	c := &Container{state: State{
		ID: "ctr", Bundle: "/b", InitPid: 10,
		Config: &configs.Config{Annotations: map[string]string{"a": "b"}},
	}}
	st := c.seccompState(10, "meta")
	b, _ := json.Marshal(st)
	var got map[string]any
	json.Unmarshal(b, &got)
	state := got["state"].(map[string]any)
	if got["ociVersion"] != specs.Version || got["metadata"] != "meta" || got["pid"] != float64(10) ||
		got["fds"].([]any)[0] != "seccompFd" || state["status"] != "creating" || state["id"] != "ctr" ||
		state["bundle"] != "/b" || state["pid"] != float64(10) {
		t.Fatalf("seccomp state %s", b)
	}
}
