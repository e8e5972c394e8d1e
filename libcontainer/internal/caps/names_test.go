package caps

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestValue(t *testing.T) {
	tests := []struct {
		name string
		want int
		ok   bool
	}{
		{"CAP_CHOWN", 0, true},
		{"CAP_KILL", 5, true},
		{"CAP_NET_BIND_SERVICE", 10, true},
		{"CAP_SYS_ADMIN", 21, true},
		{"CAP_SETFCAP", 31, true},
		{"CAP_MAC_OVERRIDE", 32, true},
		{"CAP_AUDIT_READ", 37, true},
		{"CAP_CHECKPOINT_RESTORE", 40, true},
		{"cap_chown", 0, false},
		{"CHOWN", 0, false},
		{"CAP_BOGUS", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := Value(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Value(%q) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// TestKnownCoversZeroToForty checks the table has each number 0..40 once.
func TestKnownCoversZeroToForty(t *testing.T) {
	seen := map[int]string{}
	for name, v := range known {
		if other, dup := seen[v]; dup {
			t.Errorf("%s and %s both map to %d", name, other, v)
		}
		seen[v] = name
	}
	for i := 0; i <= 40; i++ {
		if _, ok := seen[i]; !ok {
			t.Errorf("no name for capability %d", i)
		}
	}
	if len(known) != 41 {
		t.Errorf("len(known) = %d, want 41", len(known))
	}
}

func TestLastCapMatchesProc(t *testing.T) {
	data, err := os.ReadFile(lastCapPath)
	if err != nil {
		t.Skipf("%s unreadable: %v", lastCapPath, err)
	}
	want, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("parse %s: %v", lastCapPath, err)
	}
	if got := LastCap(); got != want {
		t.Errorf("LastCap() = %d, want %d", got, want)
	}
}

func TestToMaskIgnoresUnknown(t *testing.T) {
	got := toMask([]string{"CAP_CHOWN", "CAP_BOGUS", "CAP_NET_BIND_SERVICE", "CAP_CHOWN"})
	if want := mask(1<<0 | 1<<10); got != want {
		t.Errorf("toMask = %#x, want %#x", uint64(got), uint64(want))
	}
	if got := toMask(nil); got != 0 {
		t.Errorf("toMask(nil) = %#x, want 0", uint64(got))
	}
}

func TestMaskWords(t *testing.T) {
	m := mask(1<<40 | 1<<3)
	if m.low() != 1<<3 || m.high() != 1<<8 {
		t.Errorf("low/high = %#x/%#x, want 0x8/0x100", m.low(), m.high())
	}
}
