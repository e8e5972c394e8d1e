package rootfs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// Mounts a user namespace inherits have their nosuid/nodev/ro flags
// locked: a bind remount that would drop them fails with EPERM, and
// bindMount must retry keeping them (what rootless containers hit).

const envLockDir = "OCIRUN_ROOTFS_TEST_LOCKDIR"

func init() {
	scenarios["locked-outer"] = lockedOuterScenario
	scenarios["locked-inner"] = lockedInnerScenario
}

func TestBindRemountKeepsLockedFlags(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"src", "root"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	runChild(t, "locked-outer", 0, envLockDir+"="+dir)
}

// lockedOuterScenario mounts a nosuid,nodev tmpfs, then runs the inner
// scenario in a new user+mount namespace, where that tmpfs is locked.
func lockedOuterScenario() error {
	src := filepath.Join(os.Getenv(envLockDir), "src")
	if err := unix.Mount("tmpfs", src, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, ""); err != nil {
		return err
	}
	// Go writes the child's uid_map under /proc/<pid>, with the pid as
	// seen in our new pid namespace: /proc must be that namespace's.
	if err := unix.Mount("proc", "/proc", "proc", 0, ""); err != nil {
		return err
	}
	attr := &syscall.SysProcAttr{
		Cloneflags:  unix.CLONE_NEWUSER | unix.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: 0, Size: 1}},
	}
	out, err := execScenario("locked-inner", attr)
	if err != nil {
		return fmt.Errorf("inner: %w\n%s", err, out)
	}
	return nil
}

func lockedInnerScenario() error {
	dir := os.Getenv(envLockDir)
	res, err := newResolver(filepath.Join(dir, "root"))
	if err != nil {
		return err
	}
	defer res.close()
	t, err := res.resolve("/dst", resolveOpts{create: mkdirLeaf})
	if err != nil {
		return err
	}
	defer t.close()
	src := filepath.Join(dir, "src")
	if err := bindMount(src, t, unix.MS_BIND|unix.MS_RDONLY, 0); err != nil {
		return fmt.Errorf("ro bind of a locked nosuid,nodev mount: %w", err)
	}
	got, err := currentFlags(t.path())
	if err != nil {
		return err
	}
	want := unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV
	if got&want != want {
		return fmt.Errorf("flags after bind %#x, want %#x set", got, want)
	}
	return explicitSuidRefused(res, src)
}

// explicitSuidRefused: asking to clear a locked flag ("suid") must fail
// rather than silently keep it.
func explicitSuidRefused(res *resolver, src string) error {
	t, err := res.resolve("/dst2", resolveOpts{create: mkdirLeaf})
	if err != nil {
		return err
	}
	defer t.close()
	err = bindMount(src, t, unix.MS_BIND|unix.MS_RDONLY, unix.MS_NOSUID)
	if err == nil || !strings.Contains(err.Error(), "locked") {
		return fmt.Errorf("clearing locked nosuid: got %v, want a locked-flags error", err)
	}
	return nil
}

// currentFlags returns the MS_* flags the mount at target has now.
func currentFlags(target string) (int, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(target, &st); err != nil {
		return 0, fmt.Errorf("statfs: %w", err)
	}
	return statfsToMountFlags(st.Flags), nil
}
