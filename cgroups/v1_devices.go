package cgroups

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/cgroups/devices"
)

// setDevicesV1 writes linux.resources.devices to devices.allow/deny.
//
// runc treats the rules as an allow-list that starts from "deny all"; the
// kernel starts a new cgroup from its parent's list. So the list is reset
// with "a" in devices.deny (unless the first rule is an "a" rule, which
// resets it anyway), then the rules follow in order. When
// devices.list already shows exactly the resulting allow-list (an update
// that does not change the rules), nothing is written: the reset would
// briefly deny every device to the running container.
func setDevicesV1(dir string, in []specs.LinuxDeviceCgroup) error {
	if len(in) == 0 {
		return nil
	}
	rules, err := parseDeviceRules(in)
	if err != nil {
		return err
	}
	if devicesUnchanged(dir, rules) {
		return nil
	}
	if rules[0].Kind != 'a' { // an "a" rule resets by itself
		if err := writeField("devices", dir, "devices.deny", "a"); err != nil {
			return err
		}
	}
	for i, r := range rules {
		file := "devices.deny"
		if r.Allow {
			file = "devices.allow"
		}
		if err := writeField(indexed("devices", i), dir, file, r.String()); err != nil {
			return err
		}
	}
	return nil
}

// devicesUnchanged reports whether the cgroup is already in the allow-list
// state the rules lead to. Anything unreadable or not an allow-list counts
// as changed.
func devicesUnchanged(dir string, rules []devices.Rule) bool {
	want := targetDeviceState(rules)
	if want.DefaultAllow {
		return false
	}
	text, err := readCgroupFile(dir, "devices.list")
	if err != nil {
		return false
	}
	have, known := parseDevicesList(text)
	return known && have.Equal(want)
}
