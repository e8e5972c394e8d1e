package specconv

import (
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// convertRlimits maps rlimit names to numbers, rejecting unknown names,
// duplicates and soft > hard (setrlimit would fail later with a bare EINVAL).
func convertRlimits(limits []specs.POSIXRlimit) ([]configs.Rlimit, error) {
	if len(limits) == 0 {
		return nil, nil
	}
	seen := make(map[string]bool, len(limits))
	out := make([]configs.Rlimit, 0, len(limits))
	for i, l := range limits {
		number, ok := configs.RlimitTypes[l.Type]
		if !ok {
			return nil, fmt.Errorf("process.rlimits[%d].type: unknown rlimit %q", i, l.Type)
		}
		if seen[l.Type] {
			return nil, fmt.Errorf("process.rlimits[%d].type: duplicate rlimit %q", i, l.Type)
		}
		seen[l.Type] = true
		if l.Soft > l.Hard {
			return nil, fmt.Errorf("process.rlimits[%d]: %s soft limit %d exceeds hard limit %d", i, l.Type, l.Soft, l.Hard)
		}
		out = append(out, configs.Rlimit{Type: number, Hard: l.Hard, Soft: l.Soft})
	}
	return out, nil
}
