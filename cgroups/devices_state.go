package cgroups

import (
	"maps"
	"strconv"
	"strings"
)

// deviceKey is what a v1 devices exception is keyed on.
type deviceKey struct {
	kind         byte
	major, minor int64
}

// deviceState models a v1 devices cgroup the way the kernel does: a default
// (allow or deny everything) plus exceptions with their access letters.
type deviceState struct {
	allowAll   bool
	exceptions map[deviceKey]string
}

// targetDeviceState is the state rules lead to, starting from deny-all as
// runc does: a config's rules form an allow-list even when they do not
// begin with a "deny all" rule.
func targetDeviceState(rules []deviceRule) deviceState {
	s := deviceState{exceptions: map[deviceKey]string{}}
	for _, r := range rules {
		s.apply(r)
	}
	return s
}

// apply mirrors the kernel: "a" resets the default; a rule that agrees
// with the default removes access from the exactly matching exception,
// one that disagrees adds (merges) an exception.
func (s *deviceState) apply(r deviceRule) {
	if r.kind == 'a' {
		s.allowAll, s.exceptions = r.allow, map[deviceKey]string{}
		return
	}
	k := deviceKey{r.kind, r.major, r.minor}
	if r.allow == s.allowAll {
		left := removeLetters(s.exceptions[k], r.access)
		if left == "" {
			delete(s.exceptions, k)
		} else {
			s.exceptions[k] = left
		}
		return
	}
	s.exceptions[k] = mergeLetters(s.exceptions[k], r.access)
}

func (s deviceState) equal(o deviceState) bool {
	return s.allowAll == o.allowAll && maps.Equal(s.exceptions, o.exceptions)
}

// parseDevicesList reads devices.list. known is false when the list does
// not show the whole state: in allow-all mode the kernel prints only
// "a *:* rwm", hiding the deny exceptions.
func parseDevicesList(text string) (s deviceState, known bool) {
	s = deviceState{exceptions: map[deviceKey]string{}}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if line == "" {
			continue
		}
		k, access, ok := parseListLine(line)
		if !ok || k.kind == 'a' {
			return s, false
		}
		s.exceptions[k] = mergeLetters(s.exceptions[k], access)
	}
	return s, true
}

// parseListLine parses "c 1:3 rwm".
func parseListLine(line string) (deviceKey, string, bool) {
	f := strings.Fields(line)
	if len(f) != 3 || len(f[0]) != 1 {
		return deviceKey{}, "", false
	}
	maj, min, ok := strings.Cut(f[1], ":")
	if !ok {
		return deviceKey{}, "", false
	}
	major, err1 := parseListNumber(maj)
	minor, err2 := parseListNumber(min)
	if err1 != nil || err2 != nil {
		return deviceKey{}, "", false
	}
	return deviceKey{f[0][0], major, minor}, f[2], true
}

func parseListNumber(s string) (int64, error) {
	if s == "*" {
		return anyNumber, nil
	}
	return strconv.ParseInt(s, 10, 64)
}

// mergeLetters and removeLetters work on access sets kept in "rwm" order.
func mergeLetters(a, b string) string {
	var out strings.Builder
	for _, c := range "rwm" {
		if strings.ContainsRune(a, c) || strings.ContainsRune(b, c) {
			out.WriteRune(c)
		}
	}
	return out.String()
}

func removeLetters(a, b string) string {
	var out strings.Builder
	for _, c := range a {
		if !strings.ContainsRune(b, c) {
			out.WriteRune(c)
		}
	}
	return out.String()
}
