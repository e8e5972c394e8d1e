package cgroups

import (
	"fmt"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func netClsField(n *specs.LinuxNetwork) string {
	return firstSet(named{"network.classID", n != nil && n.ClassID != nil})
}

func netPrioField(n *specs.LinuxNetwork) string {
	return firstSet(named{"network.priorities", n != nil && len(n.Priorities) > 0})
}

// validateNetwork checks interface names: each priority is written as an
// "<ifname> <prio>" line, so a name must be one non-empty word.
func validateNetwork(n *specs.LinuxNetwork) error {
	if n == nil {
		return nil
	}
	for i, p := range n.Priorities {
		if !isWord(p.Name) {
			return fieldErrorf(indexed("network.priorities", i)+".name", "%q is not an interface name", p.Name)
		}
	}
	return nil
}

// setNetClsV1 writes net_cls.classid (0xAAAABBBB, written in decimal).
func setNetClsV1(dir string, n *specs.LinuxNetwork) error {
	if n == nil || n.ClassID == nil {
		return nil
	}
	return writeField("network.classID", dir, "net_cls.classid", strconv.FormatUint(uint64(*n.ClassID), 10))
}

// setNetPrioV1 writes one "<ifname> <priority>" line per interface to
// net_prio.ifpriomap.
func setNetPrioV1(dir string, n *specs.LinuxNetwork) error {
	if n == nil {
		return nil
	}
	for i, p := range n.Priorities {
		line := fmt.Sprintf("%s %d", p.Name, p.Priority)
		if err := writeField(indexed("network.priorities", i), dir, "net_prio.ifpriomap", line); err != nil {
			return err
		}
	}
	return nil
}
