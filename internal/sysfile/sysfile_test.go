package sysfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	got, err := Read("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), strings.Split(string(mustRead(t, "/proc/self/stat")), " ")[0]+" ") {
		t.Errorf("Read(/proc/self/stat) = %q", got)
	}
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("THAWED\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := Read(p); err != nil || string(got) != "THAWED\n" {
		t.Errorf("Read = %q, %v", got, err)
	}
}

func TestReadMissing(t *testing.T) {
	_, err := Read("/proc/0/stat")
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Read of a missing file: %v, want a not-exist PathError", err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big")
	want := strings.Repeat("1234567\n", 3000) // 24 KB: several reads
	if err := os.WriteFile(p, []byte(want), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Read(p)
	if err != nil || string(got) != want {
		t.Errorf("Read of %d bytes: got %d bytes, %v", len(want), len(got), err)
	}
}

func TestWriteTruncatesAndNeverCreates(t *testing.T) {
	p := filepath.Join(t.TempDir(), "memory.max")
	if err := os.WriteFile(p, []byte("a longer old value"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, "max"); err != nil {
		t.Fatal(err)
	}
	if got := string(mustRead(t, p)); got != "max" {
		t.Errorf("after Write: %q, want %q", got, "max")
	}
	missing := filepath.Join(t.TempDir(), "cpu.max")
	err := Write(missing, "1")
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) || pe.Path != missing {
		t.Errorf("Write of a missing file: %v, want a not-exist PathError naming it", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Write created %s", missing)
	}
}

func TestWriteError(t *testing.T) {
	// The kernel refuses the value at write time, as cgroupfs does.
	err := Write("/proc/self/oom_score_adj", "not a number")
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Op != "write" {
		t.Errorf("Write of a bad value: %v, want a write PathError", err)
	}
}
