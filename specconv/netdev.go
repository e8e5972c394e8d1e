package specconv

import (
	"fmt"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// convertNetDevices checks linux.netDevices: interface names the kernel
// accepts, and a network namespace of the container's own to move them to.
func convertNetDevices(spec *specs.Spec, _ string, config *configs.Config) error {
	devs := spec.Linux.NetDevices
	if len(devs) == 0 {
		return nil
	}
	if !hasNetNamespace(config) {
		return fmt.Errorf("linux.netDevices: needs a network namespace (linux.namespaces has none)")
	}
	config.NetDevices = make(map[string]string, len(devs))
	inside := map[string]string{}
	for host, d := range devs {
		name := d.Name
		if name == "" {
			name = host
		}
		for _, n := range []string{host, name} {
			if err := checkIfName(n); err != nil {
				return fmt.Errorf("linux.netDevices[%q]: %w", host, err)
			}
		}
		if other, dup := inside[name]; dup {
			return fmt.Errorf("linux.netDevices[%q]: name %q is also given to %q", host, name, other)
		}
		inside[name] = host
		config.NetDevices[host] = name
	}
	return nil
}

func hasNetNamespace(config *configs.Config) bool {
	for _, ns := range config.Namespaces {
		if ns.Type == configs.NEWNET {
			return true
		}
	}
	return false
}

// checkIfName applies the kernel's rules for interface names.
func checkIfName(n string) error {
	switch {
	case n == "" || n == "." || n == "..":
		return fmt.Errorf("invalid interface name %q", n)
	case len(n) > 15:
		return fmt.Errorf("interface name %q is longer than 15 bytes", n)
	case strings.ContainsAny(n, "/: \t\n"):
		return fmt.Errorf("interface name %q contains '/', ':' or white space", n)
	}
	return nil
}
