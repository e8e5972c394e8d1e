package main

import (
	"fmt"
	"os"
	"time"
)

// Runtime names, in the report's column order.
const (
	rtOcirun = "ocirun"
	rtRunc   = "runc"
	rtCrun   = "crun"
)

var runtimeNames = []string{rtOcirun, rtRunc, rtCrun}

// driver runs the plan on the three workers.
type driver struct {
	plan    plan
	workers map[string]*workerProc
	res     *results
	log     func(format string, args ...any)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench %s: "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// measureAll runs every measurement of the plan, interleaved.
func (d *driver) measureAll() error {
	p := d.plan
	steps := []struct {
		what string
		fn   func() error
	}{
		{"warm-up", func() error { return d.rounds(Request{Op: opWarmup}, 3, 1) }},
		{"1. run", func() error { return d.rounds(Request{Op: opRun}, p.Iterations, p.Rounds) }},
		{"2. create+start+delete", func() error { return d.rounds(Request{Op: opLifecycle}, p.Iterations, p.Rounds) }},
		{"3. exec", func() error { return d.rounds(Request{Op: opExec}, p.Iterations, p.Rounds) }},
		{"4. burst", d.bursts},
		{"5. cost growth", d.scale},
	}
	for _, s := range steps {
		d.log("%s", s.what)
		start := time.Now()
		if err := s.fn(); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
		d.log("%s done in %v", s.what, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// rounds splits total iterations of req into rounds and, in each round,
// gives every runtime one batch, in rotating order.
func (d *driver) rounds(req Request, total, rounds int) error {
	for r, n := range batches(total, rounds) {
		req.N = n
		for _, name := range rotation(runtimeNames, r) {
			if err := d.call(name, req); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *driver) call(name string, req Request) error {
	resp, err := d.workers[name].do(req)
	if err != nil {
		return err
	}
	if req.Op != opWarmup {
		d.res.add(name, resp)
	}
	return nil
}

// bursts runs the timed bursts, then the sampled ones: the sampler reads
// /proc every 2 ms and would slow the timed bursts down.
func (d *driver) bursts() error {
	p := d.plan
	for r := range p.Bursts + p.SampledBursts {
		req := Request{Op: opBurst, N: p.BurstSize, Sample: r >= p.Bursts}
		for _, name := range rotation(runtimeNames, r) {
			if err := d.call(name, req); err != nil {
				return err
			}
		}
	}
	return nil
}

// scale brings every runtime to each level of background containers (in
// parallel, untimed), then measures at that level in interleaved rounds.
func (d *driver) scale() error {
	p := d.plan
	for _, level := range p.Levels {
		d.log("5. growing to %d running containers per runtime", level)
		if err := d.growAll(level); err != nil {
			return err
		}
		if err := d.rounds(Request{Op: opScale}, p.ScaleExtra, p.ScaleRounds); err != nil {
			return err
		}
	}
	return nil
}

func (d *driver) growAll(level int) error {
	errs := make(chan error, len(runtimeNames))
	for _, name := range runtimeNames {
		go func() { errs <- d.call(name, Request{Op: opGrow, Level: level}) }()
	}
	var first error
	for range runtimeNames {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// cleanupAll has every worker delete its containers, in parallel.
func (d *driver) cleanupAll() error {
	errs := make(chan error, len(d.workers))
	for name := range d.workers {
		go func() { errs <- d.call(name, Request{Op: opCleanup}) }()
	}
	var first error
	for range d.workers {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}
