package cgroups

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeCgroup makes a plain directory standing in for a cgroup. Each entry
// is "file" (created empty) or "file=content": writes need the control
// files to exist, as on cgroupfs.
func fakeCgroup(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	addFakeFiles(t, dir, files...)
	return dir
}

func addFakeFiles(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		name, content, _ := strings.Cut(f, "=")
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// content reads a fake control file (the last value written to it).
func content(t *testing.T, dir, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// recordWrites logs every resource write as "<file> <value>", in order,
// while still performing it.
func recordWrites(t *testing.T) *[]string {
	t.Helper()
	var log []string
	orig := cgroupWrite
	cgroupWrite = func(dir, file, value string) error {
		log = append(log, file+" "+value)
		return orig(dir, file, value)
	}
	t.Cleanup(func() { cgroupWrite = orig })
	return &log
}

// failWrites makes writes to file fail with errno (as *fs.PathError, like
// the real write).
func failWrites(t *testing.T, file string, errno error) {
	t.Helper()
	orig := cgroupWrite
	cgroupWrite = func(dir, f, value string) error {
		if f == file {
			return &fs.PathError{Op: "write", Path: filepath.Join(dir, f), Err: errno}
		}
		return orig(dir, f, value)
	}
	t.Cleanup(func() { cgroupWrite = orig })
}

// wantErr fails unless err is non-nil, one line, and contains every want.
func wantErr(t *testing.T, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error containing %q, got nil", wants)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			t.Fatalf("error %q does not contain %q", msg, w)
		}
	}
}

func wantWrites(t *testing.T, got *[]string, want ...string) {
	t.Helper()
	if strings.Join(*got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("writes:\n  %s\nwant:\n  %s", strings.Join(*got, "\n  "), strings.Join(want, "\n  "))
	}
}

func ptr[T any](v T) *T { return &v }
