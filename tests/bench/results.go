package main

import (
	"sync"
	"time"
)

// results collects every runtime's samples.
type results struct {
	mu      sync.Mutex
	times   map[string]map[string][]time.Duration // metric → runtime → samples
	peakRSS map[string]int64                      // runtime → bytes
	peakPSS map[string]int64                      // runtime → bytes
}

func newResults() *results {
	return &results{times: map[string]map[string][]time.Duration{}, peakRSS: map[string]int64{}, peakPSS: map[string]int64{}}
}

func (r *results) add(runtime string, resp Response) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for metric, samples := range resp.Samples {
		if r.times[metric] == nil {
			r.times[metric] = map[string][]time.Duration{}
		}
		r.times[metric][runtime] = append(r.times[metric][runtime], samples...)
	}
	r.peakRSS[runtime] = max(r.peakRSS[runtime], resp.PeakRSS)
	r.peakPSS[runtime] = max(r.peakPSS[runtime], resp.PeakPSS)
}

// peak is a memory row's number for one runtime, in bytes.
func (r *results) peak(rw row, runtime string) int64 {
	if rw.key == metricBurstPSS {
		return r.peakPSS[runtime]
	}
	return r.peakRSS[runtime]
}

// value is what the report compares for one runtime and row: the mean
// time in seconds, or the peak memory in bytes.
func (r *results) value(rw row, runtime string) float64 {
	if rw.memory {
		return float64(r.peak(rw, runtime))
	}
	return summarize(r.times[rw.key][runtime]).Mean.Seconds()
}
