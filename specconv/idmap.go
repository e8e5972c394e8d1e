package specconv

import (
	"errors"
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// convertIDMappings copies linux.uidMappings/gidMappings. They only make
// sense with a user namespace, and a new user namespace needs them: without
// a mapping every id in it is the overflow id and setuid(0) fails.
func convertIDMappings(spec *specs.Spec, _ string, config *configs.Config) error {
	uids, gids := spec.Linux.UIDMappings, spec.Linux.GIDMappings
	if !hasNamespace(config, configs.NEWUSER) {
		if len(uids) > 0 {
			return errors.New("linux.uidMappings: requires a user namespace in linux.namespaces")
		}
		if len(gids) > 0 {
			return errors.New("linux.gidMappings: requires a user namespace in linux.namespaces")
		}
		return nil
	}
	if config.NewNamespace(configs.NEWUSER) {
		if len(uids) == 0 {
			return errors.New("linux.uidMappings: required with a new user namespace")
		}
		if len(gids) == 0 {
			return errors.New("linux.gidMappings: required with a new user namespace")
		}
	}
	var err error
	if config.UIDMappings, err = convertIDMap("linux.uidMappings", uids); err != nil {
		return err
	}
	config.GIDMappings, err = convertIDMap("linux.gidMappings", gids)
	return err
}

func convertIDMap(field string, mappings []specs.LinuxIDMapping) ([]configs.IDMap, error) {
	if len(mappings) == 0 {
		return nil, nil
	}
	out := make([]configs.IDMap, 0, len(mappings))
	for i, m := range mappings {
		if m.Size == 0 {
			return nil, fmt.Errorf("%s[%d].size: must be greater than 0", field, i)
		}
		out = append(out, configs.IDMap{ContainerID: m.ContainerID, HostID: m.HostID, Size: m.Size})
	}
	return out, nil
}

// convertHostname copies hostname and domainname, which can only be set in a
// UTS namespace of the container's own (new, or joined as runc allows, but
// never the runtime's own): otherwise they would rename the host.
func convertHostname(spec *specs.Spec, _ string, config *configs.Config) error {
	if spec.Hostname == "" && spec.Domainname == "" {
		return nil
	}
	field := "hostname"
	if spec.Hostname == "" {
		field = "domainname"
	}
	ns, ok := config.Namespace(configs.NEWUTS)
	if !ok {
		return fmt.Errorf("%s: requires a new uts namespace", field)
	}
	if ns.Path != "" && sameFile(ns.Path, "/proc/self/ns/uts") {
		return fmt.Errorf("%s: requires a uts namespace other than the host's (%s)", field, ns.Path)
	}
	config.Hostname = spec.Hostname
	config.Domainname = spec.Domainname
	return nil
}

// sameFile reports whether a and b are the same inode.
func sameFile(a, b string) bool {
	var sa, sb unix.Stat_t
	if unix.Stat(a, &sa) != nil || unix.Stat(b, &sb) != nil {
		return false
	}
	return sa.Dev == sb.Dev && sa.Ino == sb.Ino
}
