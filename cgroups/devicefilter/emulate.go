package devicefilter

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// deviceKey is what an exception is keyed on, as in the v1 kernel list.
type deviceKey struct {
	kind         byte
	major, minor int64
}

// exception is one entry of the resulting list: devices for which the
// verdict is the opposite of the default.
type exception struct {
	deviceKey
	access access
}

// state is the device cgroup v1 model the program implements: a default
// verdict plus exceptions. Working through it (rather than testing the
// rules one by one in the program) keeps v2 behaving exactly like v1 for
// the same config, including "a" rules resetting everything before them.
type state struct {
	defaultAllow bool
	exceptions   map[deviceKey]access
}

// emulate applies the rules in order, starting from deny-all as runc does:
// a config's rules form an allow-list even without a leading "deny all".
func emulate(rules []rule) (state, error) {
	s := state{exceptions: map[deviceKey]access{}}
	for i, r := range rules {
		if err := s.apply(r); err != nil {
			return s, fmt.Errorf("devices: linux.resources.devices[%d]: %w", i, err)
		}
	}
	return s, nil
}

// apply mirrors the kernel: "a" resets the default; a rule that disagrees
// with the default adds (merges) an exception; one that agrees removes its
// access from the exactly matching exception.
func (s *state) apply(r rule) error {
	if r.kind == 'a' {
		s.defaultAllow, s.exceptions = r.allow, map[deviceKey]access{}
		return nil
	}
	k := deviceKey{r.kind, r.major, r.minor}
	if r.allow != s.defaultAllow {
		s.exceptions[k] |= r.access
		return nil
	}
	if err := s.checkNoHolePunch(k, r.access); err != nil {
		return err
	}
	if left := s.exceptions[k] &^ r.access; left != 0 {
		s.exceptions[k] = left
	} else {
		delete(s.exceptions, k)
	}
	return nil
}

// checkNoHolePunch refuses a rule that tries to carve an exception out of
// a wider wildcard exception, e.g. deny "c 1:3" after allow "c *:*". v1
// silently ignores such a rule; refusing it (as runc does) avoids a false
// sense of security: the device would stay accessible.
func (s *state) checkNoHolePunch(k deviceKey, a access) error {
	wider := []deviceKey{
		{k.kind, wildcard, k.minor},
		{k.kind, k.major, wildcard},
		{k.kind, wildcard, wildcard},
	}
	for _, w := range wider {
		if w == k {
			continue
		}
		if overlap := s.exceptions[w] & a; overlap != 0 {
			return fmt.Errorf("rule for %s cannot take %q away from the wider rule for %s: "+
				"the kernel cannot split a wildcard exception", k, overlap, w)
		}
	}
	return nil
}

// String renders the key as devices.list does, e.g. "c 1:*".
func (k deviceKey) String() string {
	return fmt.Sprintf("%c %s:%s", k.kind, numberString(k.major), numberString(k.minor))
}

func numberString(n int64) string {
	if n == wildcard {
		return "*"
	}
	return fmt.Sprint(n)
}

// sortedExceptions lists the exceptions in a stable order so the same
// rules always give the same program (and program tag).
func (s state) sortedExceptions() []exception {
	keys := slices.SortedFunc(maps.Keys(s.exceptions), compareKeys)
	out := make([]exception, 0, len(keys))
	for _, k := range keys {
		out = append(out, exception{k, s.exceptions[k]})
	}
	return out
}

func compareKeys(a, b deviceKey) int {
	return cmp.Or(
		cmp.Compare(a.kind, b.kind),
		cmp.Compare(a.major, b.major),
		cmp.Compare(a.minor, b.minor),
	)
}
