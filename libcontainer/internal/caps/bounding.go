package caps

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// DropBounding removes from the calling thread's bounding set every
// capability that c.Bounding does not list. It must run while the process is
// still root with CAP_SETPCAP, i.e. before SetupUser. A nil c drops them all,
// as runc does for a spec without process.capabilities.
func DropBounding(c *configs.Capabilities) error {
	var names []string
	if c != nil {
		names = c.Bounding
	}
	keep := toMask(names)
	for capNum := 0; capNum <= LastCap(); capNum++ {
		if keep.has(capNum) {
			continue
		}
		if err := dropBoundingCap(capNum); err != nil {
			return err
		}
	}
	return nil
}

// dropBoundingCap drops one capability, skipping caps already gone so a
// process without CAP_SETPCAP can still call DropBounding when there is
// nothing left to drop.
func dropBoundingCap(capNum int) error {
	inSet, err := unix.PrctlRetInt(unix.PR_CAPBSET_READ, uintptr(capNum), 0, 0, 0)
	if err != nil {
		return fmt.Errorf("prctl(PR_CAPBSET_READ, %s): %w", capName(capNum), err)
	}
	if inSet == 0 {
		return nil
	}
	if err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(capNum), 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_CAPBSET_DROP, %s): %w", capName(capNum), err)
	}
	return nil
}
