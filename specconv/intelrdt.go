package specconv

import (
	"errors"
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// resctrlMount is where the kernel's resctrl filesystem (Intel RDT / AMD
// QoS) is mounted when the host uses it.
const resctrlMount = "/sys/fs/resctrl"

// checkIntelRdt refuses linux.intelRdt: with a clear reason when the host
// has no resctrl filesystem mounted, as a gap of ocirun otherwise.
func checkIntelRdt(rdt *specs.LinuxIntelRdt) error {
	if rdt == nil {
		return nil
	}
	var st unix.Statfs_t
	err := unix.Statfs(resctrlMount, &st)
	if err != nil && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("linux.intelRdt: statfs %s: %w", resctrlMount, err)
	}
	if err != nil || st.Type != unix.RDTGROUP_SUPER_MAGIC {
		return fmt.Errorf("linux.intelRdt: the resctrl filesystem is not mounted at %s (no Intel RDT on this host)", resctrlMount)
	}
	return fmt.Errorf("linux.intelRdt: not supported yet")
}
