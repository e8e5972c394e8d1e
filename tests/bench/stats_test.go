package main

import (
	"math"
	"testing"
	"time"
)

func ms(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func TestSummarizeMeanAndPercentiles(t *testing.T) {
	// 1..100 ms in reverse order: summarize must not rely on input order.
	var in []int
	for i := 100; i >= 1; i-- {
		in = append(in, i)
	}
	s := summarize(ms(in...))
	if s.N != 100 {
		t.Errorf("N = %d, want 100", s.N)
	}
	if want := 50500 * time.Microsecond; s.Mean != want {
		t.Errorf("Mean = %v, want %v", s.Mean, want)
	}
	if s.P50 != 50*time.Millisecond {
		t.Errorf("P50 = %v, want 50ms", s.P50)
	}
	if s.P95 != 95*time.Millisecond {
		t.Errorf("P95 = %v, want 95ms", s.P95)
	}
}

func TestSummarizeSmallSets(t *testing.T) {
	if s := summarize(nil); s != (summary{}) {
		t.Errorf("summarize(nil) = %+v, want zero", s)
	}
	s := summarize(ms(7))
	if s.Mean != 7*time.Millisecond || s.P50 != 7*time.Millisecond || s.P95 != 7*time.Millisecond {
		t.Errorf("one sample: %+v, want every field 7ms", s)
	}
	// With 3 samples p95 is the largest one (rank ceil(2.85) = 3).
	if s := summarize(ms(1, 2, 30)); s.P95 != 30*time.Millisecond || s.P50 != 2*time.Millisecond {
		t.Errorf("three samples: %+v", s)
	}
}

func TestRatio(t *testing.T) {
	if r := ratio(3, 2); r != 1.5 {
		t.Errorf("ratio(3,2) = %v", r)
	}
	if r := ratio(1, 0); !math.IsNaN(r) {
		t.Errorf("ratio(1,0) = %v, want NaN", r)
	}
}
