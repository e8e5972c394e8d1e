package seal

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// sealedPath is how a sealed handle is exec'd and reopened.
func sealedPath(f *os.File) string { return "/proc/self/fd/" + strconv.Itoa(int(f.Fd())) }

func assertUnwritable(t *testing.T, f *os.File) {
	t.Helper()
	for _, flags := range []int{os.O_WRONLY, os.O_RDWR, os.O_WRONLY | os.O_TRUNC} {
		w, err := os.OpenFile(sealedPath(f), flags, 0)
		if err == nil {
			_, err = w.Write([]byte("x"))
			w.Close()
		}
		if err == nil {
			t.Fatalf("sealed binary is writable with flags %#x", flags)
		}
	}
}

func TestOverlaySealIsReadOnly(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	self, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	f, mounts, err := overlayExe(self)
	if err != nil {
		t.Skipf("overlayfs sealing unavailable: %v", err)
	}
	defer f.Close()
	// The handle outlives the detached mounts it came from.
	for _, fd := range mounts {
		unix.Close(fd)
	}
	w, err := os.OpenFile(sealedPath(f), os.O_WRONLY, 0)
	if err == nil {
		w.Close()
		t.Fatal("overlay-sealed binary opened for writing")
	}
	if !errors.Is(err, unix.EROFS) {
		t.Fatalf("want EROFS, got %v", err)
	}
	assertUnwritable(t, f)
}

func TestMemfdSealIsReadOnly(t *testing.T) {
	f, err := memfdExe()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	assertUnwritable(t, f)
}

func TestSealedBinaryExecs(t *testing.T) {
	f, err := Exe()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The test binary itself: ask it to list no tests, which must succeed.
	out, err := exec.Command(sealedPath(f), "-test.run=^$").CombinedOutput()
	if err != nil {
		t.Fatalf("exec sealed binary: %v: %s", err, out)
	}
}
