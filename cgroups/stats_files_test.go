package cgroups

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseStatUint(t *testing.T) {
	for in, want := range map[string]uint64{
		"0": 0, "4096": 4096, "max": math.MaxUint64, "-1": 0,
		"18446744073709551615": math.MaxUint64,
	} {
		got, err := parseStatUint(in)
		if err != nil || got != want {
			t.Errorf("parseStatUint(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "1.5", "12k", "maxx"} {
		if _, err := parseStatUint(bad); err == nil {
			t.Errorf("parseStatUint(%q): want an error", bad)
		}
	}
}

func TestParseCPUList(t *testing.T) {
	for in, want := range map[string][]uint16{
		"0":           {0},
		"0-3":         {0, 1, 2, 3},
		"0-1,4,6-7":   {0, 1, 4, 6, 7},
		"":            nil,
		"10-10,65535": {10, 65535},
	} {
		got, err := parseCPUList(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("parseCPUList(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"a", "3-1", "0-", "1,,2", "65536", "-1"} {
		if _, err := parseCPUList(bad); err == nil {
			t.Errorf("parseCPUList(%q): want an error", bad)
		}
	}
}

func TestStatKeyValuesErrorsNameTheFile(t *testing.T) {
	dir := fakeCgroup(t, "memory.stat=cache 1\nrss\n", "cpu.stat=usage_usec 1\nuser_usec x\n")
	_, err := statKeyValues(dir, "memory.stat")
	wantErr(t, err, filepath.Join(dir, "memory.stat"), "line 2", `"rss"`)
	_, err = statKeyValues(dir, "cpu.stat")
	wantErr(t, err, filepath.Join(dir, "cpu.stat"), "line 2", `"x" is not a counter`)
	_, err = statKeyValues(dir, "nope.stat")
	if !isMissing(err) {
		t.Errorf("missing file: got %v, want fs.ErrNotExist in the chain", err)
	}
	wantErr(t, err, filepath.Join(dir, "nope.stat"))
}

func TestStatKeyMissingKey(t *testing.T) {
	dir := fakeCgroup(t, "memory.events=low 0\nmax 3\n")
	v, err := statKey(dir, "memory.events", "max")
	if err != nil || v != 3 {
		t.Fatalf("max = %d, %v; want 3", v, err)
	}
	_, err = statKey(dir, "memory.events", "oom_kill")
	wantErr(t, err, filepath.Join(dir, "memory.events"), `no "oom_kill" line`)
}

func TestHugePageSizes(t *testing.T) {
	fake := t.TempDir()
	for _, d := range []string{"hugepages-2048kB", "hugepages-1048576kB", "hugepages-64kB", "other"} {
		if err := os.Mkdir(filepath.Join(fake, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := hugePageSizesDir
	t.Cleanup(func() { hugePageSizesDir = old })
	hugePageSizesDir = fake
	got, err := hugePageSizes()
	want := []string{"1GB", "2MB", "64KB"} // ReadDir sorts by directory name
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("hugePageSizes() = %v, %v; want %v", got, err, want)
	}
	hugePageSizesDir = filepath.Join(fake, "absent")
	if got, err := hugePageSizes(); err != nil || got != nil {
		t.Fatalf("no hugepages dir: got %v, %v; want nothing", got, err)
	}
}

// useHugePageSizes points hugePageSizes at a fake tree with these
// hugepages-<N>kB directories.
func useHugePageSizes(t *testing.T, kb ...string) {
	t.Helper()
	fake := t.TempDir()
	for _, k := range kb {
		if err := os.Mkdir(filepath.Join(fake, "hugepages-"+k+"kB"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := hugePageSizesDir
	t.Cleanup(func() { hugePageSizesDir = old })
	hugePageSizesDir = fake
}
