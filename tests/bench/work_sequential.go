package main

import (
	"path/filepath"
	"time"
)

// The sequential measurements: one container at a time, each command
// timed on its own.

// measureRun times `run` of /bin/true: create, start, wait and delete in
// one command (measurement 1).
func (w *worker) measureRun(n int) (map[string][]time.Duration, error) {
	var times []time.Duration
	for range n {
		if err := w.interrupted(); err != nil {
			return nil, err
		}
		id, dir, err := w.bundles.next("/bin/true")
		if err != nil {
			return nil, err
		}
		w.live[id] = true
		took, err := w.rt.run(w.main, "run", "--bundle", dir, id)
		if err != nil {
			return nil, err
		}
		w.forget(id)
		times = append(times, took)
	}
	return map[string][]time.Duration{metricRun: times}, nil
}

// measureLifecycle times create, start and delete as separate commands,
// the way containerd's shim drives a runtime (measurement 2). The wait for
// the program's exit between start and delete is not counted.
func (w *worker) measureLifecycle(n int) (map[string][]time.Duration, error) {
	out := map[string][]time.Duration{}
	for range n {
		if err := w.interrupted(); err != nil {
			return nil, err
		}
		create, start, err := w.createStart(nil)
		if err != nil {
			return nil, err
		}
		del, err := w.deleteStopped()
		if err != nil {
			return nil, err
		}
		out[metricLifecycleCreate] = append(out[metricLifecycleCreate], create)
		out[metricLifecycleStart] = append(out[metricLifecycleStart], start)
		out[metricLifecycleDelete] = append(out[metricLifecycleDelete], del)
		out[metricLifecycleTotal] = append(out[metricLifecycleTotal], create+start+del)
	}
	return out, nil
}

// pending is the /bin/true container between createStart and
// deleteStopped.
type pending struct {
	id    string
	watch *exitWatch
}

// createStart creates and starts one /bin/true container and times both
// commands; between them it runs between (if set), e.g. a timed `state`.
// The container is left in w.last for deleteStopped.
func (w *worker) createStart(between func(id string) error) (create, start time.Duration, err error) {
	id, dir, err := w.bundles.next("/bin/true")
	if err != nil {
		return 0, 0, err
	}
	w.live[id] = true
	pidFile := filepath.Join(dir, "pid")
	if create, err = w.rt.run(w.main, "create", "--bundle", dir, "--pid-file", pidFile, id); err != nil {
		return 0, 0, err
	}
	watch, err := watchPidFile(pidFile)
	if err != nil {
		return 0, 0, err
	}
	w.last = pending{id: id, watch: watch}
	if between != nil {
		if err := between(id); err != nil {
			return 0, 0, err
		}
	}
	if start, err = w.rt.run(w.main, "start", id); err != nil {
		return 0, 0, err
	}
	return create, start, nil
}

// deleteStopped waits (untimed) for the last started container's program
// to exit, then times its `delete`.
func (w *worker) deleteStopped() (time.Duration, error) {
	p := w.last
	w.last = pending{}
	if err := p.watch.wait(exitTimeout); err != nil {
		return 0, err
	}
	took, err := w.rt.run(w.main, "delete", p.id)
	if err != nil {
		return 0, err
	}
	w.forget(p.id)
	return took, nil
}

// measureExec times `exec` of /bin/true into a running container
// (measurement 3); the container is made and removed untimed.
func (w *worker) measureExec(n int) (map[string][]time.Duration, error) {
	id, err := w.startSleeper(w.main)
	if err != nil {
		return nil, err
	}
	var times []time.Duration
	for range n {
		if err = w.interrupted(); err != nil {
			break
		}
		var took time.Duration
		if took, err = w.rt.run(w.main, "exec", id, "/bin/true"); err != nil {
			break
		}
		times = append(times, took)
	}
	if err != nil {
		return nil, err
	}
	if err := w.forceDelete(w.main, id); err != nil {
		return nil, err
	}
	return map[string][]time.Duration{metricExec: times}, nil
}

// watchPidFile starts watching the process named in a --pid-file.
func watchPidFile(path string) (*exitWatch, error) {
	pid, err := readPidFile(path)
	if err != nil {
		return nil, err
	}
	return watchExit(pid)
}
