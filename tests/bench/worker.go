package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"
)

// A worker is a long-lived process that runs one runtime's command lines
// for the driver. crun's worker lives in a private mount namespace without
// /sys/fs/cgroup/unified (crun refuses this host's hybrid layout), so the
// namespace is paid once per bench, not on every crun invocation.
type worker struct {
	rt         *runtimeCLI
	bundles    *bundles
	scratch    string          // pid files, output files
	main       *call           // output of sequential invocations
	calls      []*call         // one per concurrent invocation (burst, grow)
	live       map[string]bool // containers created and not deleted yet
	background []string        // long-running containers for the scale level
	last       pending         // the container between createStart and deleteStopped
	program    fileID          // the container program's binary (busybox)
	stopping   atomic.Bool     // SIGTERM/SIGINT: finish the command, clean up
}

// exitTimeout bounds the wait for /bin/true to exit after start.
const exitTimeout = 10 * time.Second

func workerMain(args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	name := fs.String("runtime", "", "runtime name (ocirun, runc, crun)")
	binary := fs.String("binary", "", "runtime binary")
	dir := fs.String("dir", "", "this runtime's directory (state, bundles, base.json, rootfs)")
	idPrefix := fs.String("id-prefix", "", "prefix of every container id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	w, err := newWorker(*name, *binary, *dir, *idPrefix)
	if err != nil {
		return err
	}
	w.stopOnSignal()
	serveErr := w.serve(newLineReader(os.Stdin), newLineWriter(os.Stdout))
	if err := w.cleanup(); err != nil {
		return errors.Join(serveErr, err)
	}
	return serveErr
}

func newWorker(name, binary, dir, idPrefix string) (*worker, error) {
	if name == "" || binary == "" || dir == "" || idPrefix == "" {
		return nil, errors.New("worker: -runtime, -binary, -dir and -id-prefix are required")
	}
	w := &worker{
		rt:      &runtimeCLI{name: name, binary: binary, root: filepath.Join(dir, "state")},
		scratch: filepath.Join(dir, "scratch"),
		live:    map[string]bool{},
	}
	var err error
	if w.bundles, err = loadBundles(filepath.Join(dir, "base.json"), filepath.Join(dir, "bundles"), idPrefix); err != nil {
		return nil, err
	}
	if w.program, err = statID(filepath.Join(w.bundles.base.Root.Path, "bin/busybox")); err != nil {
		return nil, fmt.Errorf("worker %s: container program: %w", name, err)
	}
	if err := os.MkdirAll(w.scratch, 0o700); err != nil {
		return nil, fmt.Errorf("worker %s: %w", name, err)
	}
	if w.main, err = newCall(filepath.Join(w.scratch, "out")); err != nil {
		return nil, err
	}
	return w, nil
}

// stopOnSignal makes SIGTERM/SIGINT stop the worker between two runtime
// invocations: killing a runtime mid-create could leave a half-made
// container behind.
func (w *worker) stopOnSignal() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sigs
		w.stopping.Store(true)
	}()
}

// interrupted is checked between invocations.
func (w *worker) interrupted() error {
	if w.stopping.Load() {
		return errors.New("interrupted")
	}
	return nil
}

// serve answers requests until quit, EOF (the driver is gone), an error
// or a signal; the caller then cleans up.
func (w *worker) serve(in *lineReader, out *lineWriter) error {
	for {
		var req Request
		err := in.recv(&req)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if req.Op == opQuit {
			return nil
		}
		resp := w.handle(req)
		if err := out.send(resp); err != nil {
			return err
		}
		if resp.Error != "" || w.stopping.Load() {
			return nil
		}
	}
}

func (w *worker) handle(req Request) Response {
	var samples map[string][]time.Duration
	var peak memPeak
	var err error
	switch req.Op {
	case opWarmup:
		_, err = w.measureRun(req.N)
	case opRun:
		samples, err = w.measureRun(req.N)
	case opLifecycle:
		samples, err = w.measureLifecycle(req.N)
	case opExec:
		samples, err = w.measureExec(req.N)
	case opBurst:
		samples, peak, err = w.measureBurst(req.N, req.Sample)
	case opGrow:
		err = w.grow(req.Level)
	case opScale:
		samples, err = w.measureScale(req.N)
	case opCleanup:
		err = w.cleanup()
	default:
		err = fmt.Errorf("unknown op %q", req.Op)
	}
	if err != nil {
		return Response{Error: fmt.Sprintf("%s worker, %s: %v", w.rt.name, req.Op, err)}
	}
	return Response{Samples: samples, PeakRSS: peak.rss, PeakPSS: peak.pss}
}

// concurrentCall returns the output file of concurrent caller i.
func (w *worker) concurrentCall(i int) (*call, error) {
	for len(w.calls) <= i {
		c, err := newCall(filepath.Join(w.scratch, fmt.Sprintf("out-%d", len(w.calls))))
		if err != nil {
			return nil, err
		}
		w.calls = append(w.calls, c)
	}
	return w.calls[i], nil
}
