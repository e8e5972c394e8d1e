// Package devices is the one model of linux.resources.devices that both
// cgroup versions use: validated rules, and the device cgroup v1 state
// they lead to (a default verdict plus exceptions). The v1 writer compares
// it with devices.list; the v2 eBPF filter compiles it into a program, so
// one config behaves alike on both.
package devices

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// Wildcard is a major or minor that matches any device: the spec's nil,
// or -1 as runc also accepts.
const Wildcard = -1

// Access is a set of BPF_DEVCG_ACC_* bits (the eBPF program's encoding).
type Access uint32

// The access bits.
const (
	Read  Access = unix.BPF_DEVCG_ACC_READ
	Write Access = unix.BPF_DEVCG_ACC_WRITE
	Mknod Access = unix.BPF_DEVCG_ACC_MKNOD
	All          = Read | Write | Mknod
)

var letters = []struct {
	bit    Access
	letter byte
}{{Read, 'r'}, {Write, 'w'}, {Mknod, 'm'}}

// String is the access in "rwm" order, as devices.list shows it.
func (a Access) String() string {
	var b strings.Builder
	for _, l := range letters {
		if a&l.bit != 0 {
			b.WriteByte(l.letter)
		}
	}
	return b.String()
}

// ParseAccess reads the spec's letters; "" means "rwm".
func ParseAccess(s string) (Access, error) {
	if s == "" {
		return All, nil
	}
	var a Access
	for _, c := range s {
		i := strings.IndexRune("rwm", c)
		if i < 0 {
			return 0, &FieldError{"access", fmt.Sprintf("%q: only r, w and m are allowed", s)}
		}
		a |= letters[i].bit
	}
	return a, nil
}

// Rule is one validated linux.resources.devices entry.
type Rule struct {
	Allow  bool
	Kind   byte // 'a' (all devices), 'c' or 'b'
	Major  int64
	Minor  int64
	Access Access
}

// String is the rule as the v1 devices.allow/deny files take it.
func (r Rule) String() string {
	return fmt.Sprintf("%c %s:%s %s", r.Kind, number(r.Major), number(r.Minor), r.Access)
}

func number(n int64) string {
	if n == Wildcard {
		return "*"
	}
	return strconv.FormatInt(n, 10)
}

// FieldError names the field of a rule that is wrong; callers add the
// rule's index in their own error style.
type FieldError struct {
	Field string // "type", "major", "minor" or "access"
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// ParseRule applies the spec's defaults (type "a", any major and minor,
// access "rwm") and validates the entry.
func ParseRule(d specs.LinuxDeviceCgroup) (Rule, error) {
	r := Rule{Allow: d.Allow, Kind: 'a'}
	switch d.Type {
	case "", "a":
	case "c", "b":
		r.Kind = d.Type[0]
	default:
		return r, &FieldError{"type", fmt.Sprintf("%q is not a, c or b", d.Type)}
	}
	var err error
	if r.Major, err = deviceNumber("major", d.Major); err != nil {
		return r, err
	}
	if r.Minor, err = deviceNumber("minor", d.Minor); err != nil {
		return r, err
	}
	if r.Access, err = ParseAccess(d.Access); err != nil {
		return r, err
	}
	return r, checkAllDevicesRule(r)
}

// deviceNumber reads a major or minor: the kernel's are u32, so larger
// values could never match and are refused.
func deviceNumber(field string, p *int64) (int64, error) {
	if p == nil || *p == Wildcard {
		return Wildcard, nil
	}
	if *p < 0 || *p > math.MaxUint32 {
		return 0, &FieldError{field, fmt.Sprintf("%d is out of range 0-%d (or -1 for any)", *p, uint32(math.MaxUint32))}
	}
	return *p, nil
}

// checkAllDevicesRule rejects "a" rules that would be read more widely
// than written: "a" resets the whole list and ignores numbers and access,
// so "allow a 1:* r" would allow every device for everything.
func checkAllDevicesRule(r Rule) error {
	if r.Kind != 'a' {
		return nil
	}
	if r.Major != Wildcard || r.Minor != Wildcard {
		return &FieldError{"type", `"a" applies to all devices: major and minor must be unset`}
	}
	if r.Allow && r.Access != All {
		return &FieldError{"access", fmt.Sprintf("%q: allowing all devices always allows rwm", r.Access)}
	}
	return nil
}
