package devicefilter

import (
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/cgroups/devices"
)

// emulate validates the rules and applies them, in order, to the v1 model
// the program implements. Unlike v1, it refuses rules v1 would silently
// ignore (hole punching), so the filter never looks stricter than it is.
func emulate(in []specs.LinuxDeviceCgroup) (devices.State, error) {
	s := devices.NewState()
	for i, d := range in {
		r, err := devices.ParseRule(d)
		if err != nil {
			return s, fmt.Errorf("devices: linux.resources.devices[%d].%w", i, err)
		}
		if err := s.CheckHolePunch(r); err != nil {
			return s, fmt.Errorf("devices: linux.resources.devices[%d]: %w", i, err)
		}
		s.Apply(r)
	}
	return s, nil
}
