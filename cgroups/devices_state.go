package cgroups

import (
	"strconv"
	"strings"

	"github.com/ocirun/ocirun/cgroups/devices"
)

// targetDeviceState is the state the rules lead to on v1 (from deny-all,
// as runc starts).
func targetDeviceState(rules []devices.Rule) devices.State {
	s := devices.NewState()
	for _, r := range rules {
		s.Apply(r)
	}
	return s
}

// parseDevicesList reads devices.list. known is false when the list does
// not show the whole state: in allow-all mode the kernel prints only
// "a *:* rwm", hiding the deny exceptions.
func parseDevicesList(text string) (s devices.State, known bool) {
	s = devices.NewState()
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if line == "" {
			continue
		}
		k, access, ok := parseListLine(line)
		if !ok || k.Kind == 'a' {
			return s, false
		}
		s.Exceptions[k] |= access
	}
	return s, true
}

// parseListLine parses "c 1:3 rwm".
func parseListLine(line string) (devices.Key, devices.Access, bool) {
	f := strings.Fields(line)
	if len(f) != 3 || len(f[0]) != 1 {
		return devices.Key{}, 0, false
	}
	maj, min, ok := strings.Cut(f[1], ":")
	if !ok {
		return devices.Key{}, 0, false
	}
	major, err1 := parseListNumber(maj)
	minor, err2 := parseListNumber(min)
	access, err3 := devices.ParseAccess(f[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return devices.Key{}, 0, false
	}
	return devices.Key{Kind: f[0][0], Major: major, Minor: minor}, access, true
}

func parseListNumber(s string) (int64, error) {
	if s == "*" {
		return devices.Wildcard, nil
	}
	return strconv.ParseInt(s, 10, 64)
}
