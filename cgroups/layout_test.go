package cgroups

import (
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

const hybridMountinfo = `22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw
30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
35 30 0:32 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
37 30 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`

const v1Mountinfo = `30 22 0:27 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755
31 30 0:28 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw shared:5 - cgroup cgroup rw,cpu,cpuacct
32 30 0:29 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
33 30 0:30 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,none,name=systemd
34 30 0:31 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,noprefix,clone_children,cpuset
35 1 0:31 / /mnt/cpuset-again rw - cgroup cgroup rw,cpuset
`

const v2Mountinfo = `25 22 0:23 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`

func controllerNames(l *layout) []string {
	var names []string
	for c := range l.v1 {
		names = append(names, c)
	}
	sort.Strings(names)
	return names
}

func TestParseLayoutHybrid(t *testing.T) {
	l, err := parseLayout(strings.NewReader(hybridMountinfo))
	if err != nil {
		t.Fatal(err)
	}
	if l.mode != modeHybrid || l.version() != 1 {
		t.Fatalf("mode = %v, want hybrid", l.mode)
	}
	want := []string{"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "name=systemd", "pids"}
	if got := controllerNames(l); !reflect.DeepEqual(got, want) {
		t.Fatalf("controllers = %v, want %v", got, want)
	}
	if l.unified == nil || l.unified.mountpoint != hybridUnified {
		t.Fatalf("unified = %+v", l.unified)
	}
}

func TestParseLayoutV1CoMountedAndNamed(t *testing.T) {
	l, err := parseLayout(strings.NewReader(v1Mountinfo))
	if err != nil {
		t.Fatal(err)
	}
	if l.mode != modeV1 || l.unified != nil {
		t.Fatalf("mode = %v unified = %v, want v1 without unified", l.mode, l.unified)
	}
	if got, want := controllerNames(l), []string{"cpu", "cpuacct", "cpuset", "memory", "name=systemd"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("controllers = %v, want %v", got, want)
	}
	if h := l.v1["cpuacct"]; h.mountpoint != "/sys/fs/cgroup/cpu,cpuacct" || h.root != "/docker/abc" {
		t.Fatalf("cpuacct hierarchy = %+v", h)
	}
	if h := l.v1["cpuset"]; h.mountpoint != "/sys/fs/cgroup/cpuset" {
		t.Fatalf("cpuset should keep its first mount, got %+v", h)
	}
}

func TestParseLayoutV2(t *testing.T) {
	l, err := parseLayout(strings.NewReader(v2Mountinfo))
	if err != nil {
		t.Fatal(err)
	}
	if l.mode != modeV2 || l.version() != 2 || len(l.v1) != 0 || l.unified.mountpoint != cgroupRoot {
		t.Fatalf("layout = %+v", l)
	}
}

func TestParseLayoutNoCgroups(t *testing.T) {
	if _, err := parseLayout(strings.NewReader("22 1 0:21 / /sys rw - sysfs sysfs rw\n")); err == nil {
		t.Fatal("want an error without cgroup mounts")
	}
}

func TestParseOwnCgroups(t *testing.T) {
	own, err := parseOwnCgroups(strings.NewReader("9:name=systemd:/\n4:memory:/process_api/x\n2:cpu,cpuacct:/a\n0::/u\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"name=systemd": "/", "memory": "/process_api/x", "cpu": "/a", "cpuacct": "/a", "": "/u"}
	if !reflect.DeepEqual(own, want) {
		t.Fatalf("own = %v, want %v", own, want)
	}
	if _, err := parseOwnCgroups(strings.NewReader("garbage\n")); err == nil {
		t.Fatal("want an error for a malformed line")
	}
}

// TestDetectLayoutHost checks the real host, which is hybrid.
func TestDetectLayoutHost(t *testing.T) {
	if _, err := os.Stat(hybridUnified + "/cgroup.procs"); err != nil {
		t.Skip("host is not hybrid")
	}
	l, err := detectLayout()
	if err != nil {
		t.Fatal(err)
	}
	if l.mode != modeHybrid {
		t.Fatalf("mode = %v, want hybrid", l.mode)
	}
	for _, c := range []string{"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"} {
		if h, ok := l.v1[c]; !ok || h.mountpoint != cgroupRoot+"/"+c {
			t.Errorf("controller %s: %+v, %v", c, h, ok)
		}
	}
	if h, ok := l.v1["name=systemd"]; !ok || h.mountpoint != cgroupRoot+"/systemd" {
		t.Errorf("name=systemd hierarchy: %+v, %v", h, ok)
	}
	if again, _ := detectLayout(); again != l {
		t.Error("detection is not cached")
	}
}
