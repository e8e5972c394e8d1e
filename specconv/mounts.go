package specconv

import (
	"fmt"
	"path/filepath"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// convertMounts validates and parses config.json's mounts.
func convertMounts(spec *specs.Spec, bundle string, config *configs.Config) error {
	for i, m := range spec.Mounts {
		mount, err := convertMount(withContainerIDMap(m, spec), bundle)
		if err != nil {
			return fmt.Errorf("mounts[%d].%w", i, err)
		}
		config.Mounts = append(config.Mounts, mount)
	}
	return nil
}

// convertMount turns one mounts[] entry into a configs.Mount. Errors start
// with the field name so the caller can prefix "mounts[i].".
func convertMount(m specs.Mount, bundle string) (*configs.Mount, error) {
	if !filepath.IsAbs(m.Destination) {
		return nil, fmt.Errorf("destination: %q is not an absolute path", m.Destination)
	}
	opts, err := parseMountOptions(m.Options)
	if err != nil {
		return nil, fmt.Errorf("options: %w", err)
	}
	mount := &configs.Mount{
		Source:           m.Source,
		Destination:      filepath.Clean(m.Destination),
		Device:           m.Type,
		Flags:            opts.flags,
		ClearedFlags:     opts.clearedFlags,
		PropagationFlags: opts.propagation,
		Data:             opts.data,
		RecAttrSet:       opts.recAttrSet,
		RecAttrClr:       opts.recAttrClr,
	}
	if m.Type == "bind" {
		mount.Flags |= unix.MS_BIND
	}
	if err := convertMountIDMap(m, opts, mount); err != nil {
		return nil, err
	}
	if !mount.IsBind() {
		if m.Type == "" {
			return nil, fmt.Errorf("type: must not be empty (only bind mounts may omit it)")
		}
		return mount, nil
	}
	return finishBindMount(mount, bundle)
}

// finishBindMount normalises a bind mount: Device "bind" and a host source
// resolved against the bundle, as runc does.
func finishBindMount(mount *configs.Mount, bundle string) (*configs.Mount, error) {
	if mount.Source == "" {
		return nil, fmt.Errorf("source: required for a bind mount")
	}
	if !filepath.IsAbs(mount.Source) {
		mount.Source = filepath.Join(bundle, mount.Source)
	}
	mount.Device = "bind"
	return mount, nil
}

// convertRootPropagation maps linux.rootfsPropagation to MS_* flags; empty
// stays 0 so the init applies its default (MS_SLAVE|MS_REC).
func convertRootPropagation(spec *specs.Spec, _ string, config *configs.Config) error {
	value := spec.Linux.RootfsPropagation
	if value == "" {
		return nil
	}
	flag, ok := propagationFlags[value]
	if !ok {
		return fmt.Errorf("linux.rootfsPropagation: unknown propagation %q", value)
	}
	config.RootPropagation = flag
	return nil
}
