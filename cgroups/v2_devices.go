package cgroups

import (
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/cgroups/devicefilter"
)

// attachDevices is the one place device programs reach the kernel; tests
// replace it to record the rules instead.
var attachDevices = devicefilter.Attach

// setDevicesV2 enforces device rules on cgroup v2, which has no devices
// files: an eBPF program built from the rules is attached to the cgroup
// (replacing the previous one, never leaving the cgroup unfiltered). The
// kernel drops the program with the cgroup, so Destroy has nothing to do.
func setDevicesV2(dir string, rules []specs.LinuxDeviceCgroup) error {
	if len(rules) == 0 {
		return nil
	}
	fd, err := unix.Open(dir, unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("linux.resources.devices: open %s: %w", dir, err)
	}
	defer unix.Close(fd)
	if err := attachDevices(fd, rules); err != nil {
		return fmt.Errorf("linux.resources.%w", err)
	}
	return nil
}
