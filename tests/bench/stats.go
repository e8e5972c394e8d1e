package main

import (
	"math"
	"slices"
	"time"
)

// summary describes one runtime's samples of one metric.
type summary struct {
	N    int
	Mean time.Duration
	P50  time.Duration
	P95  time.Duration
}

// summarize computes mean and nearest-rank percentiles; zero for no samples.
func summarize(samples []time.Duration) summary {
	if len(samples) == 0 {
		return summary{}
	}
	sorted := slices.Clone(samples)
	slices.Sort(sorted)
	var total time.Duration
	for _, s := range sorted {
		total += s
	}
	return summary{
		N:    len(sorted),
		Mean: total / time.Duration(len(sorted)),
		P50:  percentile(sorted, 50),
		P95:  percentile(sorted, 95),
	}
}

// percentile is the nearest-rank percentile p (0 < p ≤ 100) of sorted:
// the smallest sample with at least p% of the samples at or below it.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = max(rank, 1)
	return sorted[rank-1]
}

// ratio is a/b, or NaN when b is zero (nothing measured).
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}
