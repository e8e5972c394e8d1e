package libcontainer

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/internal/seal"
)

// Go's fork moves the status pipe and low fds to just above the highest fd
// it passes, so an exec path naming any other fd can be overwritten before
// execve. Whatever numbers the passed fds have, the sealed binary must be
// the one that runs.
func TestInitCommandExecsTheSealedBinaryWhateverTheFdNumbers(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	for low := 4; low < 40; low++ {
		f, err := os.Open(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, low)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		extra := os.NewFile(uintptr(fd), "extra")
		sealed := seal.Start()
		cmd, err := initCommand(spawnRequest{sealed: sealed}, []*os.File{extra}, 3)
		if err != nil {
			t.Fatal(err)
		}
		// The sealed binary is this test binary: have it run no test.
		cmd.Args = []string{"sealed", "-test.run=^$"}
		cmd.Env = nil
		// Files, not nil: new fds for the child's stdio would take the
		// low numbers the fork's pipe lands on otherwise.
		cmd.Stdin, cmd.Stdout, cmd.Stderr = null, null, null
		err = cmd.Run()
		sealed.Close()
		extra.Close()
		if err != nil {
			t.Fatalf("extra fd %d: %v", fd, err)
		}
	}
}
