package cgroups

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// unifiedKeyPattern is "<controller>.<file>": a plain file name in the
// container's own cgroup, never a path ("/", "..") out of it.
var unifiedKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*\.[A-Za-z0-9_.-]+$`)

func unifiedField(key string) string { return fmt.Sprintf("unified[%q]", key) }

// validateUnified checks every linux.resources.unified key.
func validateUnified(unified map[string]string) error {
	for key := range unified {
		if !unifiedKeyPattern.MatchString(key) || strings.Contains(key, "..") {
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
