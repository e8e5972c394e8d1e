package rootfs

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestStatfsToMountFlags(t *testing.T) {
	got := statfsToMountFlags(unix.ST_RDONLY | unix.ST_NOSUID | unix.ST_NODEV | unix.ST_NOEXEC | unix.ST_RELATIME)
	want := unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC | unix.MS_RELATIME
	if got != want {
		t.Fatalf("got %#x, want %#x", got, want)
	}
	if got := statfsToMountFlags(unix.ST_NOATIME | unix.ST_NODIRATIME); got != unix.MS_NOATIME|unix.MS_NODIRATIME {
		t.Fatalf("atime flags: got %#x", got)
	}
	if got := statfsToMountFlags(0); got != 0 {
		t.Fatalf("no flags: got %#x", got)
	}
}

func TestNeedsBindRemount(t *testing.T) {
	cases := []struct {
		flags int
		want  bool
	}{
		{unix.MS_BIND, false},
		{unix.MS_BIND | unix.MS_REC, false},
		{unix.MS_BIND | unix.MS_REC | unix.MS_PRIVATE, false},
		{unix.MS_BIND | unix.MS_RDONLY, true},
		{unix.MS_BIND | unix.MS_REC | unix.MS_NOSUID, true},
		{unix.MS_BIND | unix.MS_RELATIME, true},
	}
	for _, c := range cases {
		if got := needsBindRemount(c.flags); got != c.want {
			t.Errorf("needsBindRemount(%#x) = %v, want %v", c.flags, got, c.want)
		}
	}
}

func TestWithLockedFlags(t *testing.T) {
	req := unix.MS_BIND | unix.MS_REMOUNT | unix.MS_RDONLY
	cur := unix.MS_NOSUID | unix.MS_NODEV | unix.MS_RELATIME
	got, err := withLockedFlags(req, cur, 0)
	if err != nil || got != req|cur {
		t.Fatalf("keep locked: got %#x, %v; want %#x", got, err, req|cur)
	}
	// A requested atime mode replaces the source's.
	got, err = withLockedFlags(req|unix.MS_NOATIME, cur, 0)
	want := req | unix.MS_NOATIME | unix.MS_NOSUID | unix.MS_NODEV
	if err != nil || got != want {
		t.Fatalf("atime: got %#x, %v; want %#x", got, err, want)
	}
	// Explicitly cleared ("suid") but locked: refuse rather than ignore.
	if _, err := withLockedFlags(req, cur, unix.MS_NOSUID); err == nil {
		t.Fatal("clearing a locked flag: want error")
	}
	// Cleared flags that are not set on the source are no conflict.
	if _, err := withLockedFlags(req, cur, unix.MS_NOEXEC); err != nil {
		t.Fatalf("clearing an unset flag: %v", err)
	}
}
