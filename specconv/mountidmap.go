package specconv

import (
	"errors"
	"fmt"

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
		// runc would borrow the container's user namespace mappings; an
		// idmapped mount inside a user namespace is not supported here.
		return errors.New("options: idmap and ridmap need uidMappings and gidMappings")
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

// checkIDMappedMounts refuses idmapped mounts in a container with a user
// namespace: the init then lacks CAP_SYS_ADMIN in the host's user
// namespace, which mount_setattr(MOUNT_ATTR_IDMAP) requires for a host
// filesystem, so the parent would have to make the mount (not done yet).
func checkIDMappedMounts(config *configs.Config) error {
	if !hasNamespace(config, configs.NEWUSER) {
		return nil
	}
	for i, m := range config.Mounts {
		if m.IsIDMapped() {
			return fmt.Errorf("mounts[%d].uidMappings: idmapped mounts in a container with a user namespace are not supported yet", i)
		}
	}
	return nil
}
