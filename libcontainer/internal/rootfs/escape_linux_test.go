package rootfs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/sys/mountinfo"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// These tests plant symlinks in the rootfs that point at a host directory
// and check that the mounts land inside the rootfs instead.

func init() {
	scenarios["escape"] = escapeScenario
	scenarios["proc-symlink"] = procSymlinkScenario
	scenarios["bind-missing"] = bindMissingScenario
}

func TestMountDestinationSymlinksStayInRootfs(t *testing.T) {
	rootfs := makeRootfs(t)
	hostDir := t.TempDir()
	for _, d := range []string{"a", "b", "c"} {
		if err := os.Mkdir(filepath.Join(hostDir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"evil":     filepath.Join(hostDir, "a"),                                  // absolute
		"rel":      strings.Repeat("../", 12) + strings.TrimPrefix(hostDir, "/"), // climbs past the root
		"evilfile": filepath.Join(hostDir, "c", "file"),                          // dangling, file bind
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(rootfs, name)); err != nil {
			t.Fatal(err)
		}
	}
	runChild(t, "escape", 0, envRootfs+"="+rootfs, envHostDir+"="+hostDir)
	if _, err := os.Lstat(filepath.Join(hostDir, "c", "file")); !os.IsNotExist(err) {
		t.Errorf("bind destination created on the host: %v", err)
	}
	if _, err := os.Stat(filepath.Join(rootfs, hostDir, "c", "file")); err != nil {
		t.Errorf("bind destination not created inside the rootfs: %v", err)
	}
}

// escapeScenario mounts through the planted symlinks without pivoting, so
// the host paths can still be compared with the rootfs ones.
func escapeScenario() error {
	rootfs, hostDir := os.Getenv(envRootfs), os.Getenv(envHostDir)
	if err := unix.Mount(rootfs, rootfs, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return err
	}
	cfg := &configs.Config{Rootfs: rootfs, Mounts: []*configs.Mount{
		{Source: "tmpfs", Destination: "/evil", Device: "tmpfs"},
		{Source: "tmpfs", Destination: "/rel/b", Device: "tmpfs"},
		{Source: "/etc/hostname", Destination: "/evilfile", Device: "bind", Flags: unix.MS_BIND},
	}, Devices: []*configs.Device{{Type: 'c', Path: "/evil/null", Major: 1, Minor: 3, FileMode: 0o666}}}
	if err := populate(cfg, 0); err != nil {
		return err
	}
	ms, err := mountinfo.GetMounts(nil)
	if err != nil {
		return err
	}
	points := map[string]bool{}
	for _, m := range ms {
		points[m.Mountpoint] = true
	}
	c := &checks{}
	for _, sub := range []string{"a", "b", "c/file"} {
		host := filepath.Join(hostDir, sub)
		if points[host] {
			c.failf("mount landed on the host path %s", host)
		}
		if !points[filepath.Join(rootfs, host)] {
			c.failf("no mount at %s inside the rootfs", filepath.Join(rootfs, host))
		}
	}
	if _, err := os.Stat(filepath.Join(hostDir, "a", "null")); !os.IsNotExist(err) {
		c.failf("device node created on the host: %v", err)
	}
	return c.err()
}

func TestProcOntoSymlinkRefused(t *testing.T) {
	rootfs := makeRootfs(t)
	if err := os.Symlink("/proc", filepath.Join(rootfs, "proc")); err != nil {
		t.Fatal(err)
	}
	runChild(t, "proc-symlink", 0, envRootfs+"="+rootfs)
}

func procSymlinkScenario() error {
	cfg := &configs.Config{Rootfs: os.Getenv(envRootfs), Mounts: []*configs.Mount{
		{Source: "tmpfs", Destination: "/dev", Device: "tmpfs"},
		{Source: "proc", Destination: "/proc", Device: "proc"},
	}}
	return wantPrepareError(cfg, "mounts[1]: /proc: destination must be a directory, not a symlink")
}

func TestBindMissingSourceError(t *testing.T) {
	runChild(t, "bind-missing", 0, envRootfs+"="+makeRootfs(t))
}

func bindMissingScenario() error {
	cfg := &configs.Config{Rootfs: os.Getenv(envRootfs), Mounts: []*configs.Mount{
		{Source: "/no/such/src", Destination: "/dst", Device: "bind", Flags: unix.MS_BIND},
	}}
	return wantPrepareError(cfg, "mount /no/such/src -> /dst: stat /no/such/src: no such file or directory")
}

// wantPrepareError runs Prepare, which must fail (before pivoting) with want.
func wantPrepareError(cfg *configs.Config, want string) error {
	if err := Prepare(cfg, Options{Cwd: "/"}); err == nil || err.Error() != want {
		return fmt.Errorf("Prepare: got error %v, want %q", err, want)
	}
	return nil
}
