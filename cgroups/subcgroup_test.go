package cgroups

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseSubCgroups(t *testing.T) {
	got, err := ParseSubCgroups([]string{"memory,pids:a/b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"memory": "a/b", "pids": "a/b", "": "c"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, bad := range [][]string{{"../x"}, {"memory:/abs"}, {"memory:"}, {"a/../../b"}, {"x", "y"}, {"memory:x", "memory:y"}} {
		if _, err := ParseSubCgroups(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestStateSub(t *testing.T) {
	root := t.TempDir()
	mem, pids := filepath.Join(root, "memory"), filepath.Join(root, "pids")
	for _, d := range []string{filepath.Join(mem, "s"), pids} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := State{Version: 1, Paths: map[string]string{"memory": mem, "pids": pids}, Created: []string{mem}}
	got, err := s.Sub(map[string]string{"memory": "s"})
	if err != nil {
		t.Fatal(err)
	}
	want := State{Version: 1, Paths: map[string]string{"memory": filepath.Join(mem, "s"), "pids": pids}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	cases := []struct {
		state State
		sub   map[string]string
		err   string
	}{
		{s, map[string]string{"": "s"}, "not an existing cgroup directory"},
		{s, map[string]string{"cpu": "s"}, `controller "cpu"`},
		{State{Version: 2, Paths: map[string]string{"": mem}}, map[string]string{"memory": "s"}, "cgroup v2"},
	}
	for _, c := range cases {
		if _, err := c.state.Sub(c.sub); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("Sub(%v) = %v, want an error with %q", c.sub, err, c.err)
		}
	}
	if got, err := (State{Version: 2, Paths: map[string]string{"": mem}}).Sub(map[string]string{"": "s"}); err != nil || got.Paths[""] != filepath.Join(mem, "s") {
		t.Errorf("v2 Sub = %+v, %v", got, err)
	}
}
