package rootfs

import (
	"reflect"
	"testing"

	"github.com/moby/sys/mountinfo"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func TestPathInRoot(t *testing.T) {
	cases := []struct {
		root, real, want string
		ok               bool
	}{
		{"/", "/a/b", "/a/b", true},
		{"/r", "/r", "/", true},
		{"/r", "/r/a", "/a", true},
		{"/r", "/rx/a", "", false},
		{"/r", "/a", "", false},
	}
	for _, c := range cases {
		got, ok := pathInRoot(c.root, c.real)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("pathInRoot(%q, %q) = %q, %v; want %q, %v", c.root, c.real, got, ok, c.want, c.ok)
		}
	}
}

func TestDeviceMode(t *testing.T) {
	cases := []struct {
		typ  rune
		want uint32
	}{
		{'c', unix.S_IFCHR | 0o666},
		{'b', unix.S_IFBLK | 0o666},
		{'p', unix.S_IFIFO | 0o666},
	}
	for _, c := range cases {
		got, err := deviceMode(&configs.Device{Type: c.typ, FileMode: 0o666})
		if err != nil || got != c.want {
			t.Errorf("deviceMode(%q) = %#o, %v; want %#o", c.typ, got, err, c.want)
		}
	}
	if _, err := deviceMode(&configs.Device{Type: 'x'}); err == nil {
		t.Error("type x: want error")
	}
}

func TestDevSymlinks(t *testing.T) {
	names := func(ls []devSymlink) []string {
		var n []string
		for _, l := range ls {
			n = append(n, l.name)
		}
		return n
	}
	if got := names(devSymlinks(false, false)); !reflect.DeepEqual(got, []string{"fd", "stdin", "stdout", "stderr"}) {
		t.Errorf("plain: %v", got)
	}
	got := devSymlinks(true, true)
	if n := names(got); !reflect.DeepEqual(n, []string{"fd", "stdin", "stdout", "stderr", "core", "ptmx"}) {
		t.Errorf("kcore+pts: %v", n)
	}
	if got[5].target != "pts/ptmx" || got[4].target != "/proc/kcore" {
		t.Errorf("targets: %+v", got)
	}
}

func TestOwnsDev(t *testing.T) {
	tmpfsDev := &configs.Mount{Destination: "/dev", Device: "tmpfs"}
	bindDev := &configs.Mount{Destination: "/dev/", Device: "bind", Flags: unix.MS_BIND | unix.MS_REC}
	if !ownsDev(&configs.Config{Mounts: []*configs.Mount{tmpfsDev}}) {
		t.Error("tmpfs /dev: want owned")
	}
	if ownsDev(&configs.Config{Mounts: []*configs.Mount{tmpfsDev, bindDev}}) {
		t.Error("bind /dev: want not owned")
	}
}

func TestClosestMount(t *testing.T) {
	ms := []*mountinfo.Info{{Mountpoint: "/"}, {Mountpoint: "/var/lib"}, {Mountpoint: "/var"}}
	if got := closestMount(ms); got.Mountpoint != "/var/lib" {
		t.Fatalf("got %s", got.Mountpoint)
	}
	if closestMount(nil) != nil {
		t.Fatal("no mounts: want nil")
	}
}
