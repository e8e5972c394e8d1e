package main

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"
	"time"
)

func TestProtocolRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := newLineWriter(&buf)
	sent := Response{Samples: map[string][]time.Duration{metricRun: {time.Millisecond, 2 * time.Second}}, PeakRSS: 42}
	if err := w.send(Request{Op: opBurst, N: 50, Sample: true}); err != nil {
		t.Fatal(err)
	}
	if err := w.send(sent); err != nil {
		t.Fatal(err)
	}
	r := newLineReader(&buf)
	var req Request
	if err := r.recv(&req); err != nil || req != (Request{Op: opBurst, N: 50, Sample: true}) {
		t.Fatalf("request %+v, %v", req, err)
	}
	var resp Response
	if err := r.recv(&resp); err != nil {
		t.Fatal(err)
	}
	if resp.PeakRSS != 42 || !slices.Equal(resp.Samples[metricRun], sent.Samples[metricRun]) {
		t.Errorf("response %+v", resp)
	}
	if err := r.recv(&resp); !errors.Is(err, io.EOF) {
		t.Errorf("after the last line: %v, want EOF", err)
	}
}
