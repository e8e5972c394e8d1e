package libcontainer

import (
	"fmt"
	"regexp"
)

const maxIDLength = 1024

var idPattern = regexp.MustCompile(`^[\w+\-.]+$`)

// ValidateID checks a container id: letters, digits and "_+-.", not "." or
// "..", at most 1024 bytes — so it is always a single safe path component.
func ValidateID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("container id: must not be empty")
	case len(id) > maxIDLength:
		return fmt.Errorf("container id: longer than %d bytes", maxIDLength)
	case id == "." || id == ".." || !idPattern.MatchString(id):
		return fmt.Errorf("container id %q: invalid (allowed: letters, digits and _+-., not . or ..)", id)
	}
	return nil
}
