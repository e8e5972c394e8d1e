// Package phases times the steps of a container start for --debug, on
// both sides of the parent↔init protocol (the init sends its list with
// "ready").
package phases

import "time"

// Phase is how long one step took.
type Phase struct {
	Name   string `json:"name"`
	Micros int64  `json:"us"`
}

// Clock records steps one after the other; a Clock that is off (no
// --debug) records nothing.
type Clock struct {
	on   bool
	last time.Time
	// List holds the steps recorded so far.
	List []Phase
}

// New starts a clock; on is false unless --debug asked for timings.
func New(on bool) *Clock {
	return &Clock{on: on, last: time.Now()}
}

// Mark ends the current step, naming it, and returns it.
func (c *Clock) Mark(name string) Phase {
	if !c.on {
		return Phase{}
	}
	now := time.Now()
	p := Phase{Name: name, Micros: now.Sub(c.last).Microseconds()}
	c.List = append(c.List, p)
	c.last = now
	return p
}
