package syncproto

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// The init start message, read back in the order nsenter.c reads it.
func TestInitStartLayout(t *testing.T) {
	for _, tc := range []struct {
		start       InitStart
		flags, fifo uint32
	}{
		{InitStart{FifoFd: -1}, 0, 0xffffffff},
		{InitStart{NewCgroupNs: true, FifoFd: 7}, startCgroupNs, 7},
		{InitStart{ProcFs: true, FifoFd: -1}, startProcFs, 0xffffffff},
		{InitStart{NewCgroupNs: true, ProcFs: true, FifoFd: 12}, startCgroupNs | startProcFs, 12},
	} {
		b := tc.start.Encode()
		r := &planReader{t: t, b: b}
		if magic := r.u32(); magic != planMagicOf("OCI1") {
			t.Errorf("%+v: magic %#x", tc.start, magic)
		}
		if flags, fifo := r.u32(), r.u32(); flags != tc.flags || fifo != tc.fifo {
			t.Errorf("%+v: flags %#x fifo %#x, want %#x %#x", tc.start, flags, fifo, tc.flags, tc.fifo)
		}
		if len(r.b) != 0 {
			t.Errorf("%+v: %d bytes left over", tc.start, len(r.b))
		}
	}
}

// planMagicOf is the magic word nsenter.c compares: the four characters
// in memory order.
func planMagicOf(s string) uint32 {
	r := &planReader{b: []byte(s)}
	return r.u32()
}

// SendInitStart frames the message: a big-endian length, then the body.
func TestSendInitStartFrames(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	a, b := os.NewFile(uintptr(fds[0]), "a"), os.NewFile(uintptr(fds[1]), "b")
	defer a.Close()
	defer b.Close()
	if err := SendInitStart(a, InitStart{FifoFd: 5}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, err := b.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4+startFrameSize || buf[0] != 0 || buf[3] != startFrameSize {
		t.Fatalf("frame % x", buf[:n])
	}
}
