package initproc

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// fakeAttrs records writes like a procfs with the given attr files.
type fakeAttrs struct {
	exists  map[string]bool
	written map[string]string
}

func (f *fakeAttrs) write(subpath string, data []byte) error {
	if !f.exists[subpath] {
		return &os.PathError{Op: "open", Path: "/proc/thread-self/" + subpath, Err: os.ErrNotExist}
	}
	f.written[subpath] = string(data)
	return nil
}

func newFakeAttrs(files ...string) *fakeAttrs {
	f := &fakeAttrs{exists: map[string]bool{}, written: map[string]string{}}
	for _, name := range files {
		f.exists[name] = true
	}
	return f
}

func TestApplyAppArmorWritesStackedAttr(t *testing.T) {
	f := newFakeAttrs("attr/apparmor/exec", "attr/exec")
	if err := applyAppArmor("docker-default", f.write); err != nil {
		t.Fatal(err)
	}
	if got := f.written["attr/apparmor/exec"]; got != "exec docker-default" {
		t.Fatalf("attr/apparmor/exec = %q, want %q", got, "exec docker-default")
	}
	if _, ok := f.written["attr/exec"]; ok {
		t.Fatal("legacy attr/exec written although attr/apparmor/exec exists")
	}
}

func TestApplyAppArmorFallsBackToLegacyAttr(t *testing.T) {
	f := newFakeAttrs("attr/exec")
	if err := applyAppArmor("myprof", f.write); err != nil {
		t.Fatal(err)
	}
	if got := f.written["attr/exec"]; got != "exec myprof" {
		t.Fatalf("attr/exec = %q", got)
	}
}

func TestApplyAppArmorErrorNamesField(t *testing.T) {
	f := newFakeAttrs()
	err := applyAppArmor("p", f.write)
	if err == nil || !strings.HasPrefix(err.Error(), "process.apparmorProfile:") {
		t.Fatalf("err = %v", err)
	}
	denied := func(string, []byte) error { return os.ErrPermission }
	if err := applyAppArmor("p", denied); !errors.Is(err, os.ErrPermission) {
		t.Fatalf("err = %v, want a wrapped permission error", err)
	}
}

func TestApplyLSMNothingRequested(t *testing.T) {
	f := newFakeAttrs()
	old := setExecLabel
	t.Cleanup(func() { setExecLabel = old })
	setExecLabel = func(string) error { t.Fatal("SetExecLabel called without a label"); return nil }
	oldW := writeThreadAttr
	t.Cleanup(func() { writeThreadAttr = oldW })
	writeThreadAttr = f.write
	if err := applyLSM(&configs.Process{}); err != nil {
		t.Fatal(err)
	}
	if len(f.written) != 0 {
		t.Fatalf("wrote %v without a profile", f.written)
	}
}

func TestApplySELinuxLabel(t *testing.T) {
	old := setExecLabel
	t.Cleanup(func() { setExecLabel = old })
	var got string
	setExecLabel = func(l string) error { got = l; return nil }
	if err := applySELinux("system_u:system_r:container_t:s0"); err != nil {
		t.Fatal(err)
	}
	if got != "system_u:system_r:container_t:s0" {
		t.Fatalf("SetExecLabel(%q)", got)
	}
	setExecLabel = func(string) error { return errors.New("boom") }
	if err := applySELinux("x"); err == nil || !strings.Contains(err.Error(), "process.selinuxLabel") {
		t.Fatalf("err = %v", err)
	}
}

// The real writer reaches this thread's procfs attributes: on a host
// without AppArmor the exec attr is missing or refuses the write, which
// must surface as an error naming the field rather than pass silently.
func TestApplyAppArmorRealWriterWithoutAppArmor(t *testing.T) {
	if data, err := os.ReadFile("/sys/module/apparmor/parameters/enabled"); err == nil && strings.TrimSpace(string(data)) == "Y" {
		t.Skip("AppArmor is enabled here: applying a profile would confine the test")
	}
	err := applyAppArmor("ocirun-test-profile", writeThreadAttr)
	if err == nil || !strings.HasPrefix(err.Error(), "process.apparmorProfile:") {
		t.Fatalf("err = %v", err)
	}
}
