package caps

import (
	"strconv"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// mask is a capability set as a 64-bit mask, bit n for capability n.
type mask uint64

// toMask converts capability names to a mask, ignoring names we do not know
// (the config converter already warned about them) and capabilities the
// running kernel does not have: capset rejects bits it cannot grant.
func toMask(names []string) mask {
	var m mask
	last := LastCap()
	for _, name := range names {
		v, ok := Value(name)
		if !ok || v > last || v > 63 {
			continue
		}
		m |= 1 << uint(v)
	}
	return m
}

func (m mask) has(capNum int) bool {
	return capNum >= 0 && capNum < 64 && m&(1<<uint(capNum)) != 0
}

// low and high split the mask into the two 32-bit words of capset(2).
func (m mask) low() uint32  { return uint32(m) }
func (m mask) high() uint32 { return uint32(m >> 32) }

// capName gives a readable name for error messages.
func capName(capNum int) string {
	for name, v := range known {
		if v == capNum {
			return name
		}
	}
	return "capability " + strconv.Itoa(capNum)
}

// Masks returns c's sets as masks (bit n: capability n) of the
// capabilities the running kernel has, as Apply and DropBounding use them;
// a nil c gives empty sets.
func Masks(c *configs.Capabilities) (bounding, effective, permitted, inheritable, ambient uint64) {
	if c == nil {
		return 0, 0, 0, 0, 0
	}
	return uint64(toMask(c.Bounding)), uint64(toMask(c.Effective)), uint64(toMask(c.Permitted)),
		uint64(toMask(c.Inheritable)), uint64(toMask(c.Ambient))
}
