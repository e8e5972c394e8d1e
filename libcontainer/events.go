package libcontainer

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ocirun/ocirun/cgroups"
)

// Event types.
const (
	// EventStats carries a Stats snapshot in Data.
	EventStats = "stats"
	// EventOOM reports one OOM event in the container's memory cgroup.
	EventOOM = "oom"
	// EventError reports a failure to read the statistics (in Err); the
	// stream goes on. It is never printed as JSON by `ocirun events`.
	EventError = "error"
)

// Event is one record of `ocirun events`: runc's events JSON,
// {"type":"stats","id":"<id>","data":{...}} or {"type":"oom","id":"<id>"}.
type Event struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Data *Stats `json:"data,omitempty"`
	// Err is the failure of an EventError.
	Err error `json:"-"`
}

// Stats is the data of a stats event: the cgroup statistics, plus the
// Intel RDT and network interface sections that runc's events carry.
// ocirun collects neither (they print as {} and null), so the JSON keeps
// runc's shape for the tools that parse it.
type Stats struct {
	cgroups.Stats
	IntelRdt          struct{}          `json:"intel_rdt"`
	NetworkInterfaces []json.RawMessage `json:"network_interfaces"`
}

// Stats reads the statistics of a created, running or paused container.
func (c *Container) Stats() (*Stats, error) {
	if c.Status() == Stopped {
		return nil, errContainer(c.state.ID, ErrNotRunning)
	}
	return c.readStats()
}

func (c *Container) readStats() (*Stats, error) {
	st, err := c.cgroup().Stats()
	if err != nil {
		return nil, fmt.Errorf("container %q: %w", c.state.ID, err)
	}
	return &Stats{Stats: *st}, nil
}

// Events streams the container's events: a stats event every interval (the
// first one after one interval, as runc) and an oom event for each OOM
// event of its memory cgroup. The channel is closed once the container has
// stopped (its init exited, or its cgroup was emptied or removed), with
// the OOM events that led there delivered first, or when ctx is done. The
// reader must receive until the channel closes or cancel ctx.
func (c *Container) Events(ctx context.Context, interval time.Duration) (<-chan Event, error) {
	if interval <= 0 {
		return nil, fmt.Errorf("events: interval %s: must be greater than 0", interval)
	}
	ctx, cancel := context.WithCancel(ctx)
	exited, err := c.watchInitExit(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	oomCtx, stopOOM := context.WithCancel(ctx)
	oom, err := c.cgroup().NotifyOOM(oomCtx)
	if err != nil {
		stopOOM()
		cancel()
		return nil, fmt.Errorf("container %q: %w", c.state.ID, err)
	}
	out := make(chan Event)
	s := &eventStream{c: c, out: out, exited: exited, oom: oom, stopOOM: stopOOM}
	go func() {
		defer cancel()
		defer close(out)
		s.run(ctx, interval)
	}()
	return out, nil
}

// eventStream is the goroutine behind Events.
type eventStream struct {
	c       *Container
	out     chan<- Event
	exited  <-chan struct{}
	oom     <-chan struct{}
	stopOOM context.CancelFunc
}

func (s *eventStream) run(ctx context.Context, interval time.Duration) {
	defer s.stopOOM()
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if !s.send(ctx, s.statsEvent()) {
				return
			}
		case _, ok := <-s.oom:
			if !ok { // the cgroup was removed or has emptied
				return
			}
			if !s.send(ctx, s.oomEvent()) {
				return
			}
		case <-s.exited:
			s.flushOOM(ctx)
			return
		}
	}
}

// flushOOM ends the OOM watch and forwards the OOM events the kernel had
// signalled: the OOM kill of the init is the usual reason it exited.
func (s *eventStream) flushOOM(ctx context.Context) {
	s.stopOOM()
	for range s.oom {
		if !s.send(ctx, s.oomEvent()) {
			return
		}
	}
}

// statsEvent reads the cgroup without checking the status first: the
// init may exit at any moment, and its last figures are still worth
// reporting.
func (s *eventStream) statsEvent() Event {
	st, err := s.c.readStats()
	if err != nil {
		return Event{Type: EventError, ID: s.c.state.ID, Err: err}
	}
	return Event{Type: EventStats, ID: s.c.state.ID, Data: st}
}

func (s *eventStream) oomEvent() Event {
	return Event{Type: EventOOM, ID: s.c.state.ID}
}

func (s *eventStream) send(ctx context.Context, e Event) bool {
	select {
	case s.out <- e:
		return true
	case <-ctx.Done():
		return false
	}
}
