package specconv

import (
	"fmt"
	"path/filepath"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// defaultDeviceMode is used when linux.devices[].fileMode is unset (runc's choice).
const defaultDeviceMode = 0o666

// defaultDevices are created in every container with its own /dev,
// matching runc, unless linux.devices lists the same path.
var defaultDevices = []configs.Device{
	{Type: 'c', Path: "/dev/null", Major: 1, Minor: 3, FileMode: defaultDeviceMode},
	{Type: 'c', Path: "/dev/zero", Major: 1, Minor: 5, FileMode: defaultDeviceMode},
	{Type: 'c', Path: "/dev/full", Major: 1, Minor: 7, FileMode: defaultDeviceMode},
	{Type: 'c', Path: "/dev/tty", Major: 5, Minor: 0, FileMode: defaultDeviceMode},
	{Type: 'c', Path: "/dev/urandom", Major: 1, Minor: 9, FileMode: defaultDeviceMode},
	{Type: 'c', Path: "/dev/random", Major: 1, Minor: 8, FileMode: defaultDeviceMode},
}

// defaultDeviceRules are runc's default device cgroup rules: mknod of any
// char or block device (the node is useless without read/write access),
// plus full access to the default devices, /dev/console, /dev/pts/*,
// /dev/ptmx and /dev/net/tun. A fresh slice each time: the rules hold
// pointers and end up in configs the caller may change.
func defaultDeviceRules() []specs.LinuxDeviceCgroup {
	rule := func(kind string, major, minor int64, access string) specs.LinuxDeviceCgroup {
		r := specs.LinuxDeviceCgroup{Allow: true, Type: kind, Access: access}
		if major >= 0 {
			r.Major = &major
		}
		if minor >= 0 {
			r.Minor = &minor
		}
		return r
	}
	const anyNum = -1
	return []specs.LinuxDeviceCgroup{
		rule("c", anyNum, anyNum, "m"),
		rule("b", anyNum, anyNum, "m"),
		rule("c", 1, 3, "rwm"),        // /dev/null
		rule("c", 1, 8, "rwm"),        // /dev/random
		rule("c", 1, 7, "rwm"),        // /dev/full
		rule("c", 5, 0, "rwm"),        // /dev/tty
		rule("c", 1, 5, "rwm"),        // /dev/zero
		rule("c", 1, 9, "rwm"),        // /dev/urandom
		rule("c", 5, 1, "rwm"),        // /dev/console
		rule("c", 136, anyNum, "rwm"), // /dev/pts/*
		rule("c", 5, 2, "rwm"),        // /dev/ptmx
		rule("c", 10, 200, "rwm"),     // /dev/net/tun
	}
}

// convertDeviceRules appends the default device cgroup rules after
// linux.resources.devices, as runc does: appended last, they still apply
// when the config starts with "deny all". It must run after
// convertCgroups, which sets config.Cgroups. Resources is copied first: it is shared with the spec,
// which must not change.
func convertDeviceRules(_ *specs.Spec, _ string, config *configs.Config) error {
	if config.Cgroups == nil {
		config.Cgroups = &configs.Cgroup{}
	}
	var res specs.LinuxResources
	if config.Cgroups.Resources != nil {
		res = *config.Cgroups.Resources
	}
	res.Devices = append(append([]specs.LinuxDeviceCgroup(nil), res.Devices...), defaultDeviceRules()...)
	config.Cgroups.Resources = &res
	return nil
}

// convertDevices validates linux.devices and appends the default devices.
func convertDevices(spec *specs.Spec, _ string, config *configs.Config) error {
	listed := map[string]bool{}
	for i, d := range spec.Linux.Devices {
		device, err := convertDevice(d)
		if err != nil {
			return fmt.Errorf("linux.devices[%d].%w", i, err)
		}
		if listed[device.Path] {
			return fmt.Errorf("linux.devices[%d].path: duplicate device %q", i, device.Path)
		}
		listed[device.Path] = true
		config.Devices = append(config.Devices, device)
	}
	for _, d := range defaultDevices {
		if !listed[d.Path] {
			device := d
			config.Devices = append(config.Devices, &device)
		}
	}
	return nil
}

// convertDevice checks one linux.devices entry. Errors start with the field
// name so the caller can prefix "linux.devices[i].".
func convertDevice(d specs.LinuxDevice) (*configs.Device, error) {
	path := filepath.Clean(d.Path)
	if !filepath.IsAbs(d.Path) || !strings.HasPrefix(path, "/dev/") {
		return nil, fmt.Errorf("path: %q is not an absolute path under /dev", d.Path)
	}
	devType, err := deviceType(d)
	if err != nil {
		return nil, err
	}
	device := &configs.Device{
		Type:     devType,
		Path:     path,
		Major:    d.Major,
		Minor:    d.Minor,
		FileMode: defaultDeviceMode,
	}
	if d.FileMode != nil {
		// Permission, setuid, setgid and sticky bits; the node type comes
		// from "type", so any S_IFMT bits given here are dropped.
		device.FileMode = uint32(*d.FileMode) & 0o7777
	}
	if d.UID != nil {
		device.UID = *d.UID
	}
	if d.GID != nil {
		device.GID = *d.GID
	}
	return device, nil
}

// deviceType maps the spec's type letter to configs' rune, checking the
// numbers a node of that type needs.
func deviceType(d specs.LinuxDevice) (rune, error) {
	switch d.Type {
	case "c", "u", "b":
		if d.Major < 0 {
			return 0, fmt.Errorf("major: %d is negative", d.Major)
		}
		if d.Minor < 0 {
			return 0, fmt.Errorf("minor: %d is negative", d.Minor)
		}
		// The spec type has no "unset" for numbers; 0:0 is what an
		// omitted major/minor decodes to and is never a real device.
		if d.Major == 0 && d.Minor == 0 {
			return 0, fmt.Errorf("major: required for device type %q", d.Type)
		}
		if d.Type == "b" {
			return 'b', nil
		}
		return 'c', nil
	case "p":
		return 'p', nil
	default:
		return 0, fmt.Errorf("type: unknown device type %q (want c, b, u or p)", d.Type)
	}
}
