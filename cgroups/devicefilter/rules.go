package devicefilter

import (
	"fmt"
	"math"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// wildcard is a major or minor number that matches any device: the spec's
// nil, or -1 as runc also accepts.
const wildcard = -1

// access is a set of BPF_DEVCG_ACC_* bits, the encoding the kernel passes
// in the high half of bpf_cgroup_dev_ctx.access_type.
type access uint32

const (
	accRead  access = unix.BPF_DEVCG_ACC_READ
	accWrite access = unix.BPF_DEVCG_ACC_WRITE
	accMknod access = unix.BPF_DEVCG_ACC_MKNOD
	accAll          = accRead | accWrite | accMknod
)

// String is the access in the "rwm" letters of the spec, for messages.
func (a access) String() string {
	var b strings.Builder
	for _, l := range []struct {
		bit    access
		letter byte
	}{{accRead, 'r'}, {accWrite, 'w'}, {accMknod, 'm'}} {
		if a&l.bit != 0 {
			b.WriteByte(l.letter)
		}
	}
	return b.String()
}

// rule is one validated linux.resources.devices entry.
type rule struct {
	allow  bool
	kind   byte // 'a' (all devices), 'c' or 'b'
	major  int64
	minor  int64
	access access
}

// parseRules validates linux.resources.devices, naming the offending entry.
func parseRules(in []specs.LinuxDeviceCgroup) ([]rule, error) {
	out := make([]rule, 0, len(in))
	for i, d := range in {
		r, err := parseRule(d)
		if err != nil {
			return nil, fmt.Errorf("devices: linux.resources.devices[%d].%w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// parseRule applies the spec's defaults: type "a", any major and minor,
// access "rwm". Errors start with the offending field's name.
func parseRule(d specs.LinuxDeviceCgroup) (rule, error) {
	r := rule{allow: d.Allow, kind: 'a'}
	switch d.Type {
	case "", "a":
	case "c", "b":
		r.kind = d.Type[0]
	default:
		return r, fmt.Errorf("type: %q is not a, c or b", d.Type)
	}
	var err error
	if r.major, err = deviceNumber("major", d.Major); err != nil {
		return r, err
	}
	if r.minor, err = deviceNumber("minor", d.Minor); err != nil {
		return r, err
	}
	if r.access, err = parseAccess(d.Access); err != nil {
		return r, err
	}
	return r, checkAllDevicesRule(r)
}

// deviceNumber reads a major or minor; the program compares them as the
// kernel's u32, so larger values could never match and are refused.
func deviceNumber(field string, p *int64) (int64, error) {
	if p == nil || *p == wildcard {
		return wildcard, nil
	}
	if *p < 0 || *p > math.MaxUint32 {
		return 0, fmt.Errorf("%s: %d is out of range 0-%d (or -1 for any)", field, *p, uint32(math.MaxUint32))
	}
	return *p, nil
}

// parseAccess maps the spec's letters to BPF access bits; "" means "rwm".
func parseAccess(s string) (access, error) {
	if s == "" {
		return accAll, nil
	}
	var a access
	for _, c := range s {
		switch c {
		case 'r':
			a |= accRead
		case 'w':
			a |= accWrite
		case 'm':
			a |= accMknod
		default:
			return 0, fmt.Errorf("access: %q: only r, w and m are allowed", s)
		}
	}
	return a, nil
}

// checkAllDevicesRule rejects "a" rules that would be read more widely
// than written: "a" resets the whole list and ignores numbers and access,
// so "allow a 1:* r" would allow every device for everything. The same
// checks apply on cgroup v1, so one config behaves alike on both.
func checkAllDevicesRule(r rule) error {
	if r.kind != 'a' {
		return nil
	}
	if r.major != wildcard || r.minor != wildcard {
		return fmt.Errorf("type: \"a\" applies to all devices: major and minor must be unset")
	}
	if r.allow && r.access != accAll {
		return fmt.Errorf("access: %q: allowing all devices always allows rwm", r.access)
	}
	return nil
}
