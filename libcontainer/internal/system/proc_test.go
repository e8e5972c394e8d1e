package system

import (
	"os"
	"testing"
)

func TestParseStat(t *testing.T) {
	line := "123 (a) b) c) S 1 123 123 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 1000 10\n"
	st, err := parseStat([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	if st.State != 'S' || st.StartTime != 98765 {
		t.Fatalf("got %+v", st)
	}
	for _, bad := range []string{"", "1 (x", "1 (x) S 1 2"} {
		if _, err := parseStat([]byte(bad)); err == nil {
			t.Errorf("parseStat(%q) succeeded", bad)
		}
	}
}

func TestStatSelf(t *testing.T) {
	st, err := Stat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if st.StartTime == 0 || st.State == 'Z' {
		t.Fatalf("got %+v", st)
	}
}
