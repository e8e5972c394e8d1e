package specconv

import (
	"errors"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// convertMountIDMap fills an idmapped bind mount's mappings from the
// mount's uidMappings/gidMappings and its "idmap"/"ridmap" option. As in
// runc, mappings without either option mean "idmap". Errors start with the
// field name so the caller can prefix "mounts[i].".
func convertMountIDMap(m specs.Mount, opts parsedMountOptions, mount *configs.Mount) error {
	hasMappings := len(m.UIDMappings) > 0 || len(m.GIDMappings) > 0
	if !hasMappings && !opts.idmap {
		return nil
	}
	if !mount.IsBind() {
		if hasMappings {
			return errors.New("uidMappings: only bind mounts can be idmapped")
		}
		return errors.New("options: idmap and ridmap need a bind mount")
	}
	if !hasMappings {
		return errors.New("options: idmap and ridmap need uidMappings and gidMappings, or a user namespace with mappings")
	}
	if len(m.UIDMappings) == 0 {
		return errors.New("uidMappings: required with gidMappings")
	}
	if len(m.GIDMappings) == 0 {
		return errors.New("gidMappings: required with uidMappings")
	}
	var err error
	if mount.UIDMappings, err = convertIDMap("uidMappings", m.UIDMappings); err != nil {
		return err
	}
	if mount.GIDMappings, err = convertIDMap("gidMappings", m.GIDMappings); err != nil {
		return err
	}
	mount.IDMapRecursive = opts.idmapRecursive
	return nil
}

// withContainerIDMap gives an "idmap"/"ridmap" mount without mappings the
// container's user namespace mappings, as runc does.
func withContainerIDMap(m specs.Mount, spec *specs.Spec) specs.Mount {
	if len(m.UIDMappings) > 0 || len(m.GIDMappings) > 0 || spec.Linux == nil {
		return m
	}
	opts, err := parseMountOptions(m.Options)
	if err != nil || !opts.idmap {
		return m // errors are reported by convertMount
	}
	m.UIDMappings, m.GIDMappings = spec.Linux.UIDMappings, spec.Linux.GIDMappings
	return m
}
