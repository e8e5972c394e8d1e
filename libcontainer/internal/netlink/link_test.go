package netlink

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestMoveVethIntoNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	host, peer := fmt.Sprintf("ocnl%d", os.Getpid()%100000), fmt.Sprintf("ocnp%d", os.Getpid()%100000)
	if out, err := exec.Command("ip", "link", "add", host, "type", "veth", "peer", "name", peer).CombinedOutput(); err != nil {
		t.Skipf("cannot make a veth pair: %v: %s", err, out)
	}
	defer exec.Command("ip", "link", "del", peer).Run() // also removes host if still here
	holder := exec.Command("unshare", "-n", "sleep", "30")
	if err := holder.Start(); err != nil {
		t.Skipf("cannot start a netns holder: %v", err)
	}
	defer func() { holder.Process.Kill(); holder.Wait() }()

	s, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	idx, err := s.LinkIndex(host)
	if err != nil {
		t.Fatal(err)
	}
	if iface, err := net.InterfaceByName(host); err != nil || iface.Index != idx {
		t.Fatalf("LinkIndex(%s) = %d, net says %v %v", host, idx, iface, err)
	}
	if _, err := s.LinkIndex("ocirun-no-such"); !errors.Is(err, unix.ENODEV) {
		t.Fatalf("missing interface: got %v, want ENODEV", err)
	}
	waitNetns(t, holder.Process.Pid)
	if err := s.MoveToPid(idx, "inside0", holder.Process.Pid); err != nil {
		t.Fatal(err)
	}
	if _, err := net.InterfaceByName(host); err == nil {
		t.Fatalf("%s still in the host namespace", host)
	}
	dev, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/dev", holder.Process.Pid))
	if err != nil || !strings.Contains(string(dev), "inside0:") {
		t.Fatalf("inside0 not in the holder's namespace: %v\n%s", err, dev)
	}
}

// waitNetns waits until pid has left our network namespace (unshare ran).
func waitNetns(t *testing.T, pid int) {
	own, _ := os.Readlink("/proc/self/ns/net")
	for i := 0; i < 1000; i++ {
		if ns, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/net", pid)); err == nil && ns != own {
			return
		}
		unix.Nanosleep(&unix.Timespec{Nsec: 2e6}, nil)
	}
	t.Fatal("holder never entered its own network namespace")
}
