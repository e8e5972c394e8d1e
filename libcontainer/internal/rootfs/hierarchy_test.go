package rootfs

import (
	"reflect"
	"strings"
	"testing"

	"github.com/moby/sys/mountinfo"
)

const sampleMountinfo = `22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
30 22 0:27 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
31 30 0:28 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
32 30 0:29 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
33 30 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,cpu,cpuacct
34 30 0:31 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,net_cls,net_prio
35 30 0:32 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory
36 30 0:33 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpuset,clone_children
37 30 0:34 / /sys/fs/cgroup/elogind rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,name=elogind
38 1 0:32 /docker /mnt/memory-again rw,relatime shared:17 - cgroup cgroup rw,memory
`

var sampleControllers = map[string]bool{
	"cpuset": true, "cpu": true, "cpuacct": true, "memory": true,
	"net_cls": true, "net_prio": true, "pids": true,
}

func sampleHierarchies(t *testing.T) []hierarchy {
	t.Helper()
	mounts, err := mountinfo.GetMountsFromReader(strings.NewReader(sampleMountinfo),
		mountinfo.FSTypeFilter("cgroup", "cgroup2"))
	if err != nil {
		t.Fatal(err)
	}
	return parseHierarchies(mounts, sampleControllers)
}

func TestParseHierarchies(t *testing.T) {
	var got []string
	for _, h := range sampleHierarchies(t) {
		got = append(got, h.fstype+" "+h.dirName()+" ["+strings.Join(h.subsystems, ",")+"]")
	}
	want := []string{
		"cgroup2 unified []",
		"cgroup systemd [name=systemd]",
		"cgroup cpu,cpuacct [cpu,cpuacct]",
		"cgroup net_cls,net_prio [net_cls,net_prio]",
		"cgroup memory [memory]",
		"cgroup cpuset [cpuset]",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func TestComountLinks(t *testing.T) {
	got := comountLinks(sampleHierarchies(t))
	want := map[string]string{
		"cpu": "cpu,cpuacct", "cpuacct": "cpu,cpuacct",
		"net_cls": "net_cls,net_prio", "net_prio": "net_cls,net_prio",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// A controller that has its own directory gets no link.
	hs := []hierarchy{{mountpoint: "/x/cpu,cpuacct"}, {mountpoint: "/x/cpu"}}
	if got := comountLinks(hs); !reflect.DeepEqual(got, map[string]string{"cpuacct": "cpu,cpuacct"}) {
		t.Fatalf("with cpu dir: got %v", got)
	}
}

func TestParseProcCgroup(t *testing.T) {
	in := "12:cpuacct,cpu:/a/b\n11:name=systemd:/sys\n3:memory:/m\n0::/unified/path\n"
	got, err := parseProcCgroup(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"cpu,cpuacct": "/a/b", "name=systemd": "/sys", "memory": "/m", "": "/unified/path",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	h := hierarchy{subsystems: []string{"cpu", "cpuacct"}}
	if got[h.key()] != "/a/b" {
		t.Fatalf("lookup by hierarchy key %q failed", h.key())
	}
}

func TestParseKnownControllers(t *testing.T) {
	in := "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t3\t1\t1\nmemory\t4\t20\t1\n"
	got, err := parseKnownControllers(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, map[string]bool{"cpuset": true, "memory": true}) {
		t.Fatalf("got %v", got)
	}
}

func TestRelToMountRoot(t *testing.T) {
	cases := []struct{ cg, root, want string }{
		{"/a/b", "/", "/a/b"},
		{"/docker/x", "/docker", "/x"},
		{"/docker", "/docker", "/"},
		{"/dockerx/y", "/docker", "/dockerx/y"},
	}
	for _, c := range cases {
		if got := relToMountRoot(c.cg, c.root); got != c.want {
			t.Errorf("relToMountRoot(%q, %q) = %q, want %q", c.cg, c.root, got, c.want)
		}
	}
}
