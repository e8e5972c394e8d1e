package cgroups

import (
	"fmt"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// anyNumber is a device major or minor written "*" (the spec's nil).
const anyNumber = -1

// deviceRule is one validated linux.resources.devices entry.
type deviceRule struct {
	allow  bool
	kind   byte // 'a' (all devices), 'c' or 'b'
	major  int64
	minor  int64
	access string // non-empty subset of "rwm", in that order
}

// String is the rule as the v1 devices.allow/deny files take it.
func (r deviceRule) String() string {
	return fmt.Sprintf("%c %s:%s %s", r.kind, deviceNumber(r.major), deviceNumber(r.minor), r.access)
}

func deviceNumber(n int64) string {
	if n == anyNumber {
		return "*"
	}
	return strconv.FormatInt(n, 10)
}

// parseDeviceRules validates linux.resources.devices.
func parseDeviceRules(in []specs.LinuxDeviceCgroup) ([]deviceRule, error) {
	out := make([]deviceRule, 0, len(in))
	for i, d := range in {
		r, err := parseDeviceRule(d)
		if err != nil {
			return nil, fieldErrorf(fmt.Sprintf("devices[%d]", i), "%w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// parseDeviceRule applies the spec's defaults: type "a", any major/minor,
// access "rwm". -1 is accepted for "any" too, as runc does.
func parseDeviceRule(d specs.LinuxDeviceCgroup) (deviceRule, error) {
	r := deviceRule{allow: d.Allow, kind: 'a', major: anyNumber, minor: anyNumber}
	switch d.Type {
	case "", "a":
	case "c", "b":
		r.kind = d.Type[0]
	default:
		return r, fmt.Errorf("type: %q is not a, c or b", d.Type)
	}
	var err error
	if r.major, err = ruleNumber("major", d.Major); err != nil {
		return r, err
	}
	if r.minor, err = ruleNumber("minor", d.Minor); err != nil {
		return r, err
	}
	if r.access, err = normalizeAccess(d.Access); err != nil {
		return r, err
	}
	return r, checkAllDevicesRule(r)
}

func ruleNumber(name string, p *int64) (int64, error) {
	if p == nil {
		return anyNumber, nil
	}
	if *p < anyNumber {
		return 0, fmt.Errorf("%s: %d is negative", name, *p)
	}
	return *p, nil
}

// normalizeAccess checks the letters and puts them in "rwm" order, the
// form the kernel lists them in.
func normalizeAccess(access string) (string, error) {
	if access == "" {
		return "rwm", nil
	}
	for _, c := range access {
		if !strings.ContainsRune("rwm", c) {
			return "", fmt.Errorf("access: %q: only r, w and m are allowed", access)
		}
	}
	var b strings.Builder
	for _, c := range "rwm" {
		if strings.ContainsRune(access, c) {
			b.WriteRune(c)
		}
	}
	return b.String(), nil
}

// checkAllDevicesRule rejects "a" rules the kernel would read more widely
// than written: for type "a" it resets the whole list and ignores the
// numbers and the access, so "allow a 1:* r" would allow everything.
func checkAllDevicesRule(r deviceRule) error {
	if r.kind != 'a' {
		return nil
	}
	if r.major != anyNumber || r.minor != anyNumber {
		return fmt.Errorf("type \"a\" applies to all devices: major and minor must be unset")
	}
	if r.allow && r.access != "rwm" {
		return fmt.Errorf("access: %q: allowing all devices always allows rwm", r.access)
	}
	return nil
}
