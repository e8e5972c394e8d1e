package cgroups

import (
	"errors"
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/cgroups/devices"
)

// parseDeviceRules validates linux.resources.devices with the model the
// v2 filter uses too (package devices).
func parseDeviceRules(in []specs.LinuxDeviceCgroup) ([]devices.Rule, error) {
	out := make([]devices.Rule, 0, len(in))
	for i, d := range in {
		r, err := devices.ParseRule(d)
		if err != nil {
			var fe *devices.FieldError
			if errors.As(err, &fe) {
				err = fmt.Errorf("%s %s", fe.Field, fe.Msg)
			}
			return nil, fieldErrorf(fmt.Sprintf("devices[%d]", i), "%w", err)
		}
		out = append(out, r)
	}
	return out, nil
}
