package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// table is the report's table: a header and one line per row, the same
// cells for the terminal and for the markdown file.
type table struct {
	header []string
	lines  [][]string
}

func buildTable(res *results, rows []row) table {
	t := table{header: []string{"measurement", "ocirun", "runc", "crun", "ocirun/crun", "ocirun/runc"}}
	for _, rw := range rows {
		line := []string{rw.label}
		for _, name := range runtimeNames {
			line = append(line, cell(res, rw, name))
		}
		o := res.value(rw, rtOcirun)
		line = append(line, formatRatio(ratio(o, res.value(rw, rtCrun))), formatRatio(ratio(o, res.value(rw, rtRunc))))
		t.lines = append(t.lines, line)
	}
	return t
}

// cell is one runtime's number: the mean with p50 and p95 for times, the
// peak for memory.
func cell(res *results, rw row, name string) string {
	if rw.memory {
		return formatMiB(res.peak(rw, name))
	}
	s := summarize(res.times[rw.key][name])
	if s.N == 0 {
		return "n/a"
	}
	if s.N == 1 {
		return formatMS(s.Mean)
	}
	return fmt.Sprintf("%s (p50 %s, p95 %s)", formatMS(s.Mean), formatMS(s.P50), formatMS(s.P95))
}

// formatMS prints a duration in milliseconds with 3 significant digits.
func formatMS(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 100:
		return fmt.Sprintf("%.1f ms", ms)
	default:
		return fmt.Sprintf("%.0f ms", ms)
	}
}

func formatMiB(b int64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

func formatRatio(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", r)
}

// text renders the table with aligned columns for a terminal.
func (t table) text() string {
	widths := make([]int, len(t.header))
	for _, line := range append([][]string{t.header}, t.lines...) {
		for i, c := range line {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	writeLine := func(line []string) {
		for i, c := range line {
			pad := widths[i] - len([]rune(c))
			if i == 0 {
				b.WriteString(c + strings.Repeat(" ", pad))
			} else {
				b.WriteString("  " + strings.Repeat(" ", pad) + c)
			}
		}
		b.WriteString("\n")
	}
	writeLine(t.header)
	sep := make([]string, len(widths))
	for i, w := range widths {
		sep[i] = strings.Repeat("-", w)
	}
	writeLine(sep)
	for _, line := range t.lines {
		writeLine(line)
	}
	return b.String()
}

// markdown renders the table as a GitHub markdown table.
func (t table) markdown() string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(t.header, " | ") + " |\n|")
	for i := range t.header {
		if i == 0 {
			b.WriteString("---|")
		} else {
			b.WriteString("---:|")
		}
	}
	b.WriteString("\n")
	for _, line := range t.lines {
		cells := make([]string, len(line))
		for i, c := range line {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		// Leading spaces mark a phase row; markdown would drop them.
		cells[0] = strings.Replace(cells[0], "   ", "&nbsp;&nbsp;&nbsp;↳ ", 1)
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String()
}
