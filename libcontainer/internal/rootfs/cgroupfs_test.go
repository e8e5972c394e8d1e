package rootfs

import (
	"reflect"
	"testing"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func TestComountLinks(t *testing.T) {
	hs := []configs.CgroupMount{
		{Dir: "unified", FSType: "cgroup2"}, {Dir: "systemd"}, {Dir: "cpu,cpuacct"},
		{Dir: "net_cls,net_prio"}, {Dir: "memory"}, {Dir: "cpuset"},
	}
	want := map[string]string{
		"cpu": "cpu,cpuacct", "cpuacct": "cpu,cpuacct",
		"net_cls": "net_cls,net_prio", "net_prio": "net_cls,net_prio",
	}
	if got := comountLinks(hs); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// A controller that has its own directory gets no link.
	hs = []configs.CgroupMount{{Dir: "cpu,cpuacct"}, {Dir: "cpu"}}
	if got := comountLinks(hs); !reflect.DeepEqual(got, map[string]string{"cpuacct": "cpu,cpuacct"}) {
		t.Fatalf("with cpu dir: got %v", got)
	}
}
