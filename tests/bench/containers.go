package main

import (
	"fmt"
	"sync"
)

// Helpers that make and remove containers outside the timed sections.

// sleeperArgs is the program of long-running containers.
var sleeperArgs = []string{"sleep", "1000000"}

// forget drops a deleted container from the cleanup list and removes its
// bundle.
func (w *worker) forget(id string) {
	delete(w.live, id)
	w.bundles.remove(id)
}

// startSleeper runs a detached long-running container.
func (w *worker) startSleeper(c *call) (string, error) {
	id, dir, err := w.bundles.next(sleeperArgs...)
	if err != nil {
		return "", err
	}
	w.live[id] = true
	if _, err := w.rt.run(c, "run", "--detach", "--bundle", dir, id); err != nil {
		return "", err
	}
	return id, nil
}

// forceDelete kills and deletes a container.
func (w *worker) forceDelete(c *call, id string) error {
	if _, err := w.rt.run(c, "delete", "--force", id); err != nil {
		return err
	}
	w.forget(id)
	return nil
}

// parallel runs fn(i, call) for i in [0, n) on at most width goroutines,
// each with its own output file, and returns the first error.
func (w *worker) parallel(n, width int, fn func(i int, c *call) error) error {
	calls := make([]*call, width)
	for i := range calls {
		c, err := w.concurrentCall(i)
		if err != nil {
			return err
		}
		calls[i] = c
	}
	next := make(chan int)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for _, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = fn(i, c)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// grow starts long-running containers until level of them run, a few at a
// time (untimed: this only sets the scene for measureScale).
func (w *worker) grow(level int) error {
	const width = 4
	missing := level - len(w.background)
	if missing <= 0 {
		return nil
	}
	ids := make([]string, missing)
	dirs := make([]string, missing)
	for i := range ids {
		var err error
		if ids[i], dirs[i], err = w.bundles.next(sleeperArgs...); err != nil {
			return err
		}
		w.live[ids[i]] = true
	}
	err := w.parallel(missing, width, func(i int, c *call) error {
		if err := w.interrupted(); err != nil {
			return err
		}
		_, err := w.rt.run(c, "run", "--detach", "--bundle", dirs[i], ids[i])
		return err
	})
	if err != nil {
		return fmt.Errorf("grow to %d containers: %w", level, err)
	}
	w.background = append(w.background, ids...)
	return nil
}
