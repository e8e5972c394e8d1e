package main

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// stopper turns SIGINT/SIGTERM into an orderly stop: it records the
// interruption and runs the registered hooks (which tell the workers to
// stop between two commands and clean up); the bench then fails instead
// of reporting.
type stopper struct {
	mu    sync.Mutex
	hit   bool
	hooks []func()
	sigs  chan os.Signal
}

func newStopper() *stopper {
	s := &stopper{sigs: make(chan os.Signal, 1)}
	signal.Notify(s.sigs, syscall.SIGINT, syscall.SIGTERM)
	go s.loop()
	return s
}

func (s *stopper) loop() {
	for range s.sigs {
		s.mu.Lock()
		first := !s.hit
		s.hit = true
		hooks := s.hooks
		s.mu.Unlock()
		if first {
			logf("interrupted: stopping the workers and cleaning up (this can take a minute)")
			for _, h := range hooks {
				h()
			}
		}
	}
}

// onStop registers a hook, run at once if the signal already came.
func (s *stopper) onStop(h func()) {
	s.mu.Lock()
	s.hooks = append(s.hooks, h)
	hit := s.hit
	s.mu.Unlock()
	if hit {
		h()
	}
}

func (s *stopper) interrupted() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hit
}

func (s *stopper) release() { signal.Stop(s.sigs) }
