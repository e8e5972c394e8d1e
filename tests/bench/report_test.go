package main

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestTableRatios(t *testing.T) {
	res := fakeResults(
		map[string]time.Duration{rtOcirun: 20 * time.Millisecond, rtRunc: 40 * time.Millisecond, rtCrun: 10 * time.Millisecond},
		map[string]int64{rtOcirun: 30 << 20, rtRunc: 60 << 20, rtCrun: 10 << 20},
	)
	rows := []row{{key: metricRun, label: "run"}, {key: metricBurstRSS, label: "rss", memory: true}, {key: "none", label: "missing"}}
	tab := buildTable(res, rows)
	want := [][]string{
		{"run", "20.0 ms (p50 20.0 ms, p95 20.0 ms)", "40.0 ms (p50 40.0 ms, p95 40.0 ms)", "10.0 ms (p50 10.0 ms, p95 10.0 ms)", "2.00×", "0.50×"},
		{"rss", "30.0 MiB", "60.0 MiB", "10.0 MiB", "3.00×", "0.50×"},
		{"missing", "n/a", "n/a", "n/a", "n/a", "n/a"},
	}
	for i, line := range want {
		if strings.Join(tab.lines[i], "|") != strings.Join(line, "|") {
			t.Errorf("line %d = %q, want %q", i, tab.lines[i], line)
		}
	}
}

func TestTableRendering(t *testing.T) {
	res := fakeResults(map[string]time.Duration{rtOcirun: 2 * time.Millisecond, rtRunc: 3 * time.Millisecond, rtCrun: time.Millisecond}, nil)
	tab := buildTable(res, []row{{key: metricRun, label: "1. run"}, {key: metricRun, label: "   phase", detail: true}})
	lines := strings.Split(strings.TrimSuffix(tab.text(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("text table has %d lines, want header, rule and 2 rows:\n%s", len(lines), tab.text())
	}
	for _, l := range lines[1:] {
		if utf8.RuneCountInString(l) != utf8.RuneCountInString(lines[0]) {
			t.Errorf("columns not aligned:\n%s", tab.text())
		}
	}
	md := tab.markdown()
	if n := strings.Count(md, "\n"); n != 4 {
		t.Errorf("markdown table has %d lines, want 4:\n%s", n, md)
	}
	if !strings.Contains(md, "| &nbsp;&nbsp;&nbsp;↳ phase |") {
		t.Errorf("phase row not indented in markdown:\n%s", md)
	}
}

func TestFormatMS(t *testing.T) {
	cases := map[time.Duration]string{
		1234 * time.Microsecond:  "1.23 ms",
		45670 * time.Microsecond: "45.7 ms",
		1500 * time.Millisecond:  "1500 ms",
	}
	for d, want := range cases {
		if got := formatMS(d); got != want {
			t.Errorf("formatMS(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestLevelList(t *testing.T) {
	cases := map[string][]int{"0, 100 and 500": {0, 100, 500}, "0 and 100": {0, 100}, "7": {7}, "": nil}
	for want, levels := range cases {
		if got := levelList(levels); got != want {
			t.Errorf("levelList(%v) = %q, want %q", levels, got, want)
		}
	}
}
