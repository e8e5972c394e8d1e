package cgroups

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// isUnifiedKey matches "<controller>.<file>", [a-z][a-z0-9_]*\.[A-Za-z0-9_.-]+:
// a plain file name in the container's own cgroup, never a path ("/",
// "..") out of it.
func isUnifiedKey(key string) bool {
	ctrl, file, ok := strings.Cut(key, ".")
	if !ok || ctrl == "" || file == "" || ctrl[0] < 'a' || ctrl[0] > 'z' {
		return false
	}
	for i := 1; i < len(ctrl); i++ {
		if c := ctrl[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	for i := 0; i < len(file); i++ {
		c := file[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-", c) >= 0) {
			return false
		}
	}
	return true
}

func unifiedField(key string) string { return fmt.Sprintf("unified[%q]", key) }

// validateUnified checks every linux.resources.unified key.
func validateUnified(unified map[string]string) error {
	for key := range unified {
		if !isUnifiedKey(key) || strings.Contains(key, "..") {
			return fieldErrorf(unifiedField(key), "not a cgroup2 file name of the form <controller>.<file>")
		}
	}
	return nil
}

// setUnified writes linux.resources.unified, keys in name order, each line
// of a value separately as runc does (files such as io.max take one
// device per write). Unified keys are written last and so override the
// structured fields, as with runc.
func setUnified(u *unifiedCgroup, unified map[string]string) error {
	for _, key := range slices.Sorted(maps.Keys(unified)) {
		for _, line := range unifiedLines(unified[key]) {
			if err := u.write(unifiedField(key), key, line); err != nil {
				return err
			}
		}
	}
	return nil
}

// unifiedLines splits a value into its non-empty lines; an empty value is
// written as is.
func unifiedLines(value string) []string {
	var lines []string
	for _, l := range strings.Split(value, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return []string{value}
	}
	return lines
}
