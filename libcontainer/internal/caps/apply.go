package caps

import (
	"errors"
	"fmt"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// Apply sets the calling thread's effective, permitted and inheritable sets
// to exactly those in c, then resets the ambient set to c.Ambient. It runs
// after SetupUser: the uid change (with PR_SET_KEEPCAPS) keeps the permitted
// set but clears the effective one, which this restores. A nil c empties
// every set, like a spec without process.capabilities.
func Apply(c *configs.Capabilities) error {
	if c == nil {
		c = &configs.Capabilities{}
	}
	if err := setCaps(toMask(c.Effective), toMask(c.Permitted), toMask(c.Inheritable)); err != nil {
		return err
	}
	return setAmbient(c.Ambient)
}

// setCaps calls capset(2) with the version 3 ABI: two data words, the first
// for capabilities 0-31 and the second for 32-63.
func setCaps(effective, permitted, inheritable mask) error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	data := [2]unix.CapUserData{
		{Effective: effective.low(), Permitted: permitted.low(), Inheritable: inheritable.low()},
		{Effective: effective.high(), Permitted: permitted.high(), Inheritable: inheritable.high()},
	}
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("capset(effective=%#x, permitted=%#x, inheritable=%#x): %w",
			uint64(effective), uint64(permitted), uint64(inheritable), err)
	}
	return nil
}

// setAmbient clears the ambient set and raises each named capability.
func setAmbient(names []string) error {
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_CAP_AMBIENT_CLEAR_ALL): %w", err)
	}
	last := LastCap()
	for _, name := range names {
		capNum, ok := Value(name)
		if !ok || capNum > last {
			continue
		}
		if err := raiseAmbient(name, capNum); err != nil {
			return err
		}
	}
	return nil
}

// raiseAmbient raises one ambient capability. The kernel refuses with EPERM
// when the cap is not in both permitted and inheritable; runc only warns
// about that (the spec is legal, just ineffective), so we do the same.
func raiseAmbient(name string, capNum int) error {
	err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_RAISE, uintptr(capNum), 0, 0)
	if errors.Is(err, unix.EPERM) {
		logrus.Warnf("process.capabilities.ambient: %s not raised: it must also be in the permitted and inheritable sets", name)
		return nil
	}
	if err != nil {
		return fmt.Errorf("process.capabilities.ambient: prctl(PR_CAP_AMBIENT_RAISE, %s): %w", name, err)
	}
	return nil
}
