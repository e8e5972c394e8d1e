package cgroups

import (
	"reflect"
	"strings"
	"testing"
)

func TestResolvePaths(t *testing.T) {
	hybrid, _ := parseLayout(strings.NewReader(hybridMountinfo))
	v1, _ := parseLayout(strings.NewReader(v1Mountinfo))
	v2, _ := parseLayout(strings.NewReader(v2Mountinfo))
	ownHybrid := map[string]string{"cpu": "/", "cpuacct": "/", "cpuset": "/", "memory": "/process_api/x",
		"devices": "/", "freezer": "/", "blkio": "/", "pids": "/", "name=systemd": "/", "": "/"}
	ownV1 := map[string]string{"cpu": "/docker/abc", "cpuacct": "/docker/abc", "memory": "/docker/abc/sub", "cpuset": "/", "name=systemd": "/"}
	ownV2 := map[string]string{"": "/user.slice/s"}
	tests := []struct {
		name       string
		l          *layout
		own        map[string]string
		path, id   string
		want       map[string]string // only the listed keys are checked
		wantErrSub string
	}{
		{name: "absolute hybrid", l: hybrid, own: ownHybrid, path: "/a/b", id: "c",
			want: map[string]string{"memory": "/sys/fs/cgroup/memory/a/b", "cpu": "/sys/fs/cgroup/cpu/a/b", "": "/sys/fs/cgroup/unified/a/b"}},
		{name: "relative hybrid", l: hybrid, own: ownHybrid, path: "a/b", id: "c",
			want: map[string]string{"memory": "/sys/fs/cgroup/memory/process_api/x/a/b", "pids": "/sys/fs/cgroup/pids/a/b", "": "/sys/fs/cgroup/unified/a/b"}},
		{name: "empty uses id", l: hybrid, own: ownHybrid, path: "", id: "c1",
			want: map[string]string{"memory": "/sys/fs/cgroup/memory/process_api/x/c1", "freezer": "/sys/fs/cgroup/freezer/c1"}},
		{name: "relative below mount root", l: v1, own: ownV1, path: "r", id: "c",
			want: map[string]string{"cpu": "/sys/fs/cgroup/cpu,cpuacct/r", "memory": "/sys/fs/cgroup/memory/sub/r", "cpuset": "/sys/fs/cgroup/cpuset/r"}},
		{name: "absolute v1 co-mounted", l: v1, own: ownV1, path: "/abs", id: "c",
			want: map[string]string{"cpuacct": "/sys/fs/cgroup/cpu,cpuacct/abs"}},
		{name: "v2 relative", l: v2, own: ownV2, path: "", id: "c",
			want: map[string]string{"": "/sys/fs/cgroup/user.slice/s/c"}},
		{name: "dotdot absolute", l: hybrid, own: ownHybrid, path: "/a/../b", wantErrSub: "linux.cgroupsPath"},
		{name: "dotdot relative", l: hybrid, own: ownHybrid, path: "../b", wantErrSub: `".."`},
		{name: "dotdot id", l: hybrid, own: ownHybrid, path: "", id: "..", wantErrSub: "container id"},
		{name: "nothing", l: hybrid, own: ownHybrid, path: "", id: "", wantErrSub: "does not name"},
		{name: "own cgroup missing", l: v1, own: map[string]string{}, path: "r", wantErrSub: "not found in /proc/self/cgroup"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolvePaths(tc.l, tc.own, tc.path, tc.id)
			if tc.wantErrSub != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrSub) {
					t.Fatalf("err = %v, want it to mention %q", err, tc.wantErrSub)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(hierarchies(tc.l)) {
				t.Errorf("got %d paths, want one per hierarchy (%d)", len(got), len(hierarchies(tc.l)))
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("paths[%q] = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestAncestorsBelow(t *testing.T) {
	got := ancestorsBelow("/sys/fs/cgroup", "/sys/fs/cgroup/a/b/c")
	want := []string{"/sys/fs/cgroup", "/sys/fs/cgroup/a", "/sys/fs/cgroup/a/b"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if got := ancestorsBelow("/sys/fs/cgroup", "/elsewhere"); got != nil {
		t.Fatalf("outside root: got %v", got)
	}
}
