package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// The driver and each worker talk in JSON lines over the worker's stdin and
// stdout: one Request, then exactly one Response. A worker does one thing
// at a time, so the driver decides the order of every measurement, which is
// what lets it interleave the runtimes.

// Operations a worker understands.
const (
	opWarmup    = "warmup"    // N untimed `run`s, to fill caches
	opRun       = "run"       // measurement 1
	opLifecycle = "lifecycle" // measurement 2
	opExec      = "exec"      // measurement 3
	opBurst     = "burst"     // measurement 4 (Sample: RSS sampling on)
	opGrow      = "grow"      // background containers up to Level (untimed)
	opScale     = "scale"     // measurement 5 at the current level
	opCleanup   = "cleanup"   // delete every container and cgroup made
	opQuit      = "quit"
)

// Request is one order from the driver to a worker.
type Request struct {
	Op     string `json:"op"`
	N      int    `json:"n,omitempty"`
	Level  int    `json:"level,omitempty"`
	Sample bool   `json:"sample,omitempty"`
}

// Response is a worker's answer: timings per metric key (see metrics.go),
// the peak RSS of a sampled burst, or the error that aborts the bench.
type Response struct {
	Samples map[string][]time.Duration `json:"samples,omitempty"`
	PeakRSS int64                      `json:"peak_rss,omitempty"`
	PeakPSS int64                      `json:"peak_pss,omitempty"`
	Error   string                     `json:"error,omitempty"`
}

// lineWriter writes one JSON value per line.
type lineWriter struct{ enc *json.Encoder }

func newLineWriter(w io.Writer) *lineWriter { return &lineWriter{json.NewEncoder(w)} }

func (w *lineWriter) send(v any) error {
	if err := w.enc.Encode(v); err != nil {
		return fmt.Errorf("send %T: %w", v, err)
	}
	return nil
}

// lineReader reads one JSON value per line.
type lineReader struct{ sc *bufio.Scanner }

func newLineReader(r io.Reader) *lineReader {
	sc := bufio.NewScanner(r)
	// A scale response at 500 containers holds a few thousand numbers.
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	return &lineReader{sc}
}

// recv decodes the next line into v; io.EOF when the peer closed.
func (r *lineReader) recv(v any) error {
	if !r.sc.Scan() {
		if err := r.sc.Err(); err != nil {
			return fmt.Errorf("receive %T: %w", v, err)
		}
		return io.EOF
	}
	if err := json.Unmarshal(r.sc.Bytes(), v); err != nil {
		return fmt.Errorf("receive %T: %w", v, err)
	}
	return nil
}
