package specconv

import (
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

var rlimitNumbers = map[string]int{
	"RLIMIT_AS":         unix.RLIMIT_AS,
	"RLIMIT_CORE":       unix.RLIMIT_CORE,
	"RLIMIT_CPU":        unix.RLIMIT_CPU,
	"RLIMIT_DATA":       unix.RLIMIT_DATA,
	"RLIMIT_FSIZE":      unix.RLIMIT_FSIZE,
	"RLIMIT_LOCKS":      unix.RLIMIT_LOCKS,
	"RLIMIT_MEMLOCK":    unix.RLIMIT_MEMLOCK,
	"RLIMIT_MSGQUEUE":   unix.RLIMIT_MSGQUEUE,
	"RLIMIT_NICE":       unix.RLIMIT_NICE,
	"RLIMIT_NOFILE":     unix.RLIMIT_NOFILE,
	"RLIMIT_NPROC":      unix.RLIMIT_NPROC,
	"RLIMIT_RSS":        unix.RLIMIT_RSS,
	"RLIMIT_RTPRIO":     unix.RLIMIT_RTPRIO,
	"RLIMIT_RTTIME":     unix.RLIMIT_RTTIME,
	"RLIMIT_SIGPENDING": unix.RLIMIT_SIGPENDING,
	"RLIMIT_STACK":      unix.RLIMIT_STACK,
}

// convertRlimits maps rlimit names to numbers, rejecting unknown names,
// duplicates and soft > hard (setrlimit would fail later with a bare EINVAL).
func convertRlimits(limits []specs.POSIXRlimit) ([]configs.Rlimit, error) {
	if len(limits) == 0 {
		return nil, nil
	}
	seen := make(map[string]bool, len(limits))
	out := make([]configs.Rlimit, 0, len(limits))
	for i, l := range limits {
		number, ok := rlimitNumbers[l.Type]
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
