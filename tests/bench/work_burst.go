package main

import (
	"path/filepath"
	"time"
)

// measureBurst creates n /bin/true containers concurrently, then starts
// them all concurrently, waits for their programs to exit and deletes them
// all concurrently (measurement 4). It returns the wall time of the whole
// burst and of each phase and, when sample is set, the peak summed RSS and
// PSS of the runtime's processes during the burst.
func (w *worker) measureBurst(n int, sample bool) (map[string][]time.Duration, memPeak, error) {
	ids := make([]string, n)
	pidFiles := make([]string, n)
	dirs := make([]string, n)
	for i := range ids {
		var err error
		if ids[i], dirs[i], err = w.bundles.next("/bin/true"); err != nil {
			return nil, memPeak{}, err
		}
		pidFiles[i] = filepath.Join(dirs[i], "pid")
		w.live[ids[i]] = true
	}
	watches := make([]*exitWatch, n)
	defer closeWatches(watches)

	var sampler *rssSampler
	if sample {
		sampler = startRSSSampler(w.bundles.idPrefix, w.program)
	}
	t0 := time.Now()
	err := w.parallel(n, n, func(i int, c *call) error {
		if _, err := w.rt.run(c, "create", "--bundle", dirs[i], "--pid-file", pidFiles[i], ids[i]); err != nil {
			return err
		}
		var err error
		watches[i], err = watchPidFile(pidFiles[i])
		return err
	})
	t1 := time.Now()
	if err == nil {
		err = w.parallel(n, n, func(i int, c *call) error {
			_, err := w.rt.run(c, "start", ids[i])
			return err
		})
	}
	t2 := time.Now()
	for i := 0; err == nil && i < n; i++ {
		err = watches[i].wait(exitTimeout)
	}
	t3 := time.Now()
	if err == nil {
		err = w.parallel(n, n, func(i int, c *call) error {
			_, err := w.rt.run(c, "delete", ids[i])
			return err
		})
	}
	t4 := time.Now()
	var peak memPeak
	if sampler != nil {
		peak = sampler.stop()
	}
	if err != nil {
		return nil, memPeak{}, err
	}
	for _, id := range ids {
		w.forget(id)
	}
	if sample {
		// The sampler competes for the CPU: these times are not comparable.
		return nil, peak, nil
	}
	return map[string][]time.Duration{
		metricBurstWall:   {t4.Sub(t0)},
		metricBurstCreate: {t1.Sub(t0)},
		metricBurstStart:  {t2.Sub(t1)},
		metricBurstDelete: {t4.Sub(t3)},
	}, peak, nil
}

func closeWatches(watches []*exitWatch) {
	for _, w := range watches {
		if w != nil {
			w.close()
		}
	}
}
