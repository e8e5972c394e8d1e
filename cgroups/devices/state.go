package devices

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

// Key is what an exception is keyed on, as in the v1 kernel list.
type Key struct {
	Kind         byte
	Major, Minor int64
}

// String renders the key as devices.list does, e.g. "c 1:*".
func (k Key) String() string {
	return fmt.Sprintf("%c %s:%s", k.Kind, number(k.Major), number(k.Minor))
}

// Exception is one entry of a state's list: devices whose verdict is the
// opposite of the default.
type Exception struct {
	Key
	Access Access
}

// State models a v1 devices cgroup as the kernel does: a default verdict
// plus exceptions with their access.
type State struct {
	DefaultAllow bool
	Exceptions   map[Key]Access
}

// NewState is deny-all with no exceptions: runc's start, so a config's
// rules form an allow-list even without a leading "deny all".
func NewState() State {
	return State{Exceptions: map[Key]Access{}}
}

// Apply mirrors the kernel: "a" resets the default; a rule that disagrees
// with the default adds (merges) an exception; one that agrees removes its
// access from the exactly matching exception.
func (s *State) Apply(r Rule) {
	if r.Kind == 'a' {
		s.DefaultAllow, s.Exceptions = r.Allow, map[Key]Access{}
		return
	}
	k := Key{r.Kind, r.Major, r.Minor}
	if r.Allow != s.DefaultAllow {
		s.Exceptions[k] |= r.Access
		return
	}
	if left := s.Exceptions[k] &^ r.Access; left != 0 {
		s.Exceptions[k] = left
	} else {
		delete(s.Exceptions, k)
	}
}

// CheckHolePunch refuses a rule that would carve an exception out of a
// wider wildcard exception, e.g. deny "c 1:3" after allow "c *:*": v1
// silently ignores such a rule, leaving the device accessible. Call it
// before Apply.
func (s State) CheckHolePunch(r Rule) error {
	if r.Kind == 'a' || r.Allow != s.DefaultAllow {
		return nil
	}
	k := Key{r.Kind, r.Major, r.Minor}
	wider := []Key{
		{k.Kind, Wildcard, k.Minor},
		{k.Kind, k.Major, Wildcard},
		{k.Kind, Wildcard, Wildcard},
	}
	for _, w := range wider {
		if w == k {
			continue
		}
		if overlap := s.Exceptions[w] & r.Access; overlap != 0 {
			return fmt.Errorf("rule for %s cannot take %q away from the wider rule for %s: "+
				"the kernel cannot split a wildcard exception", k, overlap, w)
		}
	}
	return nil
}

// Equal reports whether two states allow exactly the same accesses.
func (s State) Equal(o State) bool {
	return s.DefaultAllow == o.DefaultAllow && maps.Equal(s.Exceptions, o.Exceptions)
}

// Sorted lists the exceptions in a stable order, so the same rules always
// give the same program (and program tag).
func (s State) Sorted() []Exception {
	keys := slices.SortedFunc(maps.Keys(s.Exceptions), func(a, b Key) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Major, b.Major), cmp.Compare(a.Minor, b.Minor))
	})
	out := make([]Exception, 0, len(keys))
	for _, k := range keys {
		out = append(out, Exception{k, s.Exceptions[k]})
	}
	return out
}
