package cgroups

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

const coMountedHybrid = `30 22 0:27 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755
31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
32 30 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
33 30 0:30 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd
34 30 0:31 / /sys/fs/cgroup/elogind rw - cgroup cgroup rw,name=elogind
35 30 0:32 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
`

func TestMountsForHybrid(t *testing.T) {
	l, err := parseLayout(strings.NewReader(coMountedHybrid))
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{
		"cpu": "/sys/fs/cgroup/cpu,cpuacct/c", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct/c",
		"memory": "/sys/fs/cgroup/memory/c", "name=systemd": "/sys/fs/cgroup/systemd/c", "": "/sys/fs/cgroup/unified/c",
	}
	want := []configs.CgroupMount{
		{Dir: "cpu,cpuacct", FSType: "cgroup", Options: "cpu,cpuacct", HostPath: "/sys/fs/cgroup/cpu,cpuacct/c"},
		{Dir: "memory", FSType: "cgroup", Options: "memory", HostPath: "/sys/fs/cgroup/memory/c"},
		{Dir: "systemd", FSType: "cgroup", Options: "name=systemd", HostPath: "/sys/fs/cgroup/systemd/c"},
		{Dir: "unified", FSType: "cgroup2", HostPath: "/sys/fs/cgroup/unified/c"},
	}
	if got := mountsFor(l, paths); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestMountsForV2(t *testing.T) {
	l, err := parseLayout(strings.NewReader(v2Mountinfo))
	if err != nil {
		t.Fatal(err)
	}
	got := mountsFor(l, map[string]string{"": "/sys/fs/cgroup/c"})
	want := []configs.CgroupMount{{FSType: "cgroup2", HostPath: "/sys/fs/cgroup/c"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestOwnPathsOnThisHost(t *testing.T) {
	paths, err := OwnPaths()
	if err != nil {
		t.Fatal(err)
	}
	for ctrl, dir := range paths {
		if !strings.HasPrefix(dir, cgroupRoot) {
			t.Errorf("%s: %s is not under %s", ctrl, dir, cgroupRoot)
		}
	}
}
