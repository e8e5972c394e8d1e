package rootfs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// Attack scenarios against the rootfs code: each plants what a malicious
// image or container would and checks the runtime refuses or stays safe.

func init() {
	scenarios["proc-targets"] = procTargetsScenario
	scenarios["fake-null"] = fakeNullScenario
	scenarios["console-target"] = consoleTargetScenario
}

func TestMountsIntoProcRefused(t *testing.T) {
	base := t.TempDir()
	runChild(t, "proc-targets", 0, envRootfs+"="+base, envHostDir+"="+t.TempDir())
}

// procTargetsScenario: each case gets its own rootfs with /mnt -> /proc,
// the CVE-2023-27561/28642 layout that sends a bind mount into procfs.
func procTargetsScenario() error {
	base, hostDir := os.Getenv(envRootfs), os.Getenv(envHostDir)
	hostFile := filepath.Join(hostDir, "file")
	if err := os.WriteFile(hostFile, []byte("fake\n"), 0o644); err != nil {
		return err
	}
	proc := &configs.Mount{Source: "proc", Destination: "/proc", Device: "proc", Flags: fsFlags}
	bind := func(dest string) *configs.Mount {
		return &configs.Mount{Source: hostFile, Destination: dest, Device: "bind", Flags: unix.MS_BIND}
	}
	cases := []struct {
		name   string
		mounts []*configs.Mount
		want   string // "" = must succeed
	}{
		{"via-symlink", []*configs.Mount{proc, bind("/mnt/sys/kernel/hostname")}, "is inside /proc"},
		{"direct", []*configs.Mount{proc, bind("/proc/self/attr/exec")}, "is inside /proc"},
		{"tmpfs-at-proc", []*configs.Mount{{Source: "tmpfs", Destination: "/proc", Device: "tmpfs"}}, "only a proc filesystem may be mounted at /proc"},
		{"bind-dir-at-proc", []*configs.Mount{{Source: hostDir, Destination: "/proc", Device: "bind", Flags: unix.MS_BIND}}, "only a proc filesystem"},
		{"lxcfs-file", []*configs.Mount{proc, bind("/proc/cpuinfo")}, ""},
		{"lxcfs-via-symlink", []*configs.Mount{proc, bind("/mnt/meminfo")}, ""},
	}
	c := &checks{}
	for i, tc := range cases {
		rootfs := filepath.Join(base, fmt.Sprint(i))
		if err := makeProcRootfs(rootfs); err != nil {
			return err
		}
		err := populate(&configs.Config{Rootfs: rootfs, Mounts: tc.mounts}, 0)
		switch {
		case tc.want == "" && err != nil:
			c.failf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			c.failf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	return c.err()
}

func makeProcRootfs(rootfs string) error {
	if err := os.MkdirAll(filepath.Join(rootfs, "proc"), 0o755); err != nil {
		return err
	}
	if err := os.Symlink("/proc", filepath.Join(rootfs, "mnt")); err != nil {
		return err
	}
	return unix.Mount(rootfs, rootfs, "", unix.MS_BIND|unix.MS_REC, "")
}

func TestMaskRefusesFakeDevNull(t *testing.T) {
	runChild(t, "fake-null", 0, envRootfs+"="+makeRootfs(t))
}

// fakeNullScenario builds and enters a rootfs, then swaps /dev/null the way
// a container sharing /dev could before the masks (CVE-2025-31133).
func fakeNullScenario() error {
	rootfs := os.Getenv(envRootfs)
	if err := os.WriteFile(filepath.Join(rootfs, "secret"), []byte("exposed\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(rootfs, "masked"), []byte("hidden\n"), 0o644); err != nil {
		return err
	}
	cfg := &configs.Config{Rootfs: rootfs, Devices: defaultDevices(), MaskPaths: []string{"/masked"},
		Mounts: []*configs.Mount{{Source: "tmpfs", Destination: "/dev", Device: "tmpfs"}}}
	if err := Prepare(cfg, Options{Cwd: "/"}); err != nil {
		return err
	}
	c := &checks{}
	swapNull(c, func() error { return os.Symlink("/secret", "/dev/null") }, "is a symlink")
	swapNull(c, func() error { return unix.Mknod("/dev/null", unix.S_IFCHR|0o666, int(unix.Mkdev(1, 5))) }, "not the null device")
	swapNull(c, func() error { return os.WriteFile("/dev/null", nil, 0o666) }, "not the null device")
	swapNull(c, func() error { return unix.Mknod("/dev/null", unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))) }, "")
	if data := readHead("/masked"); data != "" {
		c.failf("masked file after a genuine /dev/null reads %q", data)
	}
	return c.err()
}

// swapNull replaces /dev/null with plant and runs the masks: they must fail
// with want, or succeed when want is "".
func swapNull(c *checks, plant func() error, want string) {
	if err := os.Remove("/dev/null"); err != nil {
		c.failf("remove /dev/null: %v", err)
		return
	}
	if err := plant(); err != nil {
		c.failf("plant /dev/null: %v", err)
		return
	}
	err := RestrictPaths(&configs.Config{MaskPaths: []string{"/masked"}})
	switch {
	case want == "" && err != nil:
		c.failf("genuine /dev/null: %v", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		c.failf("planted /dev/null (%s): got %v", want, err)
	}
	if want != "" && strings.Contains(readHead("/masked"), "exposed") {
		c.failf("the masked path shows the planted target")
	}
}

func TestMountConsoleTarget(t *testing.T) {
	runChild(t, "console-target", 0, envRootfs+"="+makeRootfs(t))
}

// consoleTargetScenario: a /dev/console symlink is refused (CVE-2025-52565);
// otherwise the source fd, not a path, is what appears at /dev/console.
func consoleTargetScenario() error {
	rootfs := os.Getenv(envRootfs)
	cfg := &configs.Config{Rootfs: rootfs, Devices: defaultDevices(),
		Mounts: []*configs.Mount{{Source: "tmpfs", Destination: "/dev", Device: "tmpfs"}}}
	if err := Prepare(cfg, Options{Cwd: "/"}); err != nil {
		return err
	}
	src, err := os.Open("/dev/zero")
	if err != nil {
		return err
	}
	defer src.Close()
	if err := os.Symlink("/etc/target", "/dev/console"); err != nil {
		return err
	}
	if err := MountConsole(int(src.Fd())); err == nil || !strings.Contains(err.Error(), "symlink") {
		return fmt.Errorf("symlinked /dev/console: got %v, want a refusal", err)
	}
	if _, err := os.Lstat("/etc/target"); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("symlink target created: %v", err)
	}
	if err := os.Remove("/dev/console"); err != nil {
		return err
	}
	if err := MountConsole(int(src.Fd())); err != nil {
		return err
	}
	var st unix.Stat_t
	if err := unix.Stat("/dev/console", &st); err != nil || st.Rdev != unix.Mkdev(1, 5) {
		return fmt.Errorf("/dev/console after MountConsole: rdev %d:%d, %v", unix.Major(st.Rdev), unix.Minor(st.Rdev), err)
	}
	return nil
}

func TestCheckNullDevice(t *testing.T) {
	for path, ok := range map[string]bool{"/dev/null": true, "/dev/zero": false, "/etc/hostname": false} {
		f, err := os.OpenFile(path, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Skipf("%s: %v", path, err)
		}
		err = checkNullDevice(int(f.Fd()))
		f.Close()
		if (err == nil) != ok {
			t.Errorf("checkNullDevice(%s) = %v, want ok=%v", path, err, ok)
		}
	}
}

func TestLabeledData(t *testing.T) {
	old := selinuxEnabled
	t.Cleanup(func() { selinuxEnabled = old })
	const lbl = "system_u:object_r:container_file_t:s0:c1,c2"

	selinuxEnabled = func() bool { return false }
	if got := labeledData("tmpfs", "mode=755", lbl); got != "mode=755" {
		t.Errorf("without SELinux: %q, want the data unchanged", got)
	}
	selinuxEnabled = func() bool { return true }
	if got := labeledData("tmpfs", "mode=755", lbl); got != `mode=755,context="`+lbl+`"` {
		t.Errorf("tmpfs: %q", got)
	}
	if got := labeledData("devpts", "", lbl); got != `context="`+lbl+`"` {
		t.Errorf("devpts without data: %q", got)
	}
	for _, dev := range []string{"proc", "sysfs", "cgroup", "mqueue", "bind"} {
		if got := labeledData(dev, "x", lbl); got != "x" {
			t.Errorf("%s: %q, want no context option", dev, got)
		}
	}
	if got := labeledData("tmpfs", "x", ""); got != "x" {
		t.Errorf("no label: %q", got)
	}
}

// readHead reads at most 64 bytes: a wrong mask source may be endless.
func readHead(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "error: " + err.Error()
	}
	defer f.Close()
	buf := make([]byte, 64)
	n, _ := f.Read(buf)
	return string(buf[:n])
}
