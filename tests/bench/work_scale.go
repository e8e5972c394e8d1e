package main

import "time"

// measureScale times, with the current number of background containers
// running, n rounds of: create, state (of the created container), start,
// list; the program's exit and the delete are untimed (measurement 5).
func (w *worker) measureScale(n int) (map[string][]time.Duration, error) {
	level := len(w.background)
	out := map[string][]time.Duration{}
	for range n {
		if err := w.interrupted(); err != nil {
			return nil, err
		}
		var state time.Duration
		timeState := func(id string) error {
			var err error
			state, err = w.rt.run(w.main, "state", id)
			return err
		}
		create, start, err := w.createStart(timeState)
		if err != nil {
			return nil, err
		}
		list, err := w.rt.run(w.main, "list")
		if err != nil {
			return nil, err
		}
		if _, err := w.deleteStopped(); err != nil {
			return nil, err
		}
		out[metricScaleCreateStart(level)] = append(out[metricScaleCreateStart(level)], create+start)
		out[metricScaleState(level)] = append(out[metricScaleState(level)], state)
		out[metricScaleList(level)] = append(out[metricScaleList(level)], list)
	}
	return out, nil
}
