package specconv

import (
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// convertTimeOffsets checks linux.timeOffsets: only the clocks a time
// namespace can shift, only for a time namespace the container creates.
func convertTimeOffsets(spec *specs.Spec, _ string, config *configs.Config) error {
	offsets := spec.Linux.TimeOffsets
	if len(offsets) == 0 {
		return nil
	}
	newTime := false
	for _, ns := range config.Namespaces {
		newTime = newTime || (ns.Type == configs.NEWTIME && ns.Path == "")
	}
	if !newTime {
		return fmt.Errorf("linux.timeOffsets: needs a new time namespace in linux.namespaces")
	}
	for clock, o := range offsets {
		if clock != "monotonic" && clock != "boottime" {
			return fmt.Errorf("linux.timeOffsets[%q]: unknown clock (monotonic or boottime)", clock)
		}
		if o.Nanosecs >= 1e9 {
			return fmt.Errorf("linux.timeOffsets[%q].nanosecs: %d is not below 1000000000", clock, o.Nanosecs)
		}
	}
	config.TimeOffsets = offsets
	return nil
}
