package libcontainer

import "fmt"

const maxIDLength = 1024

// ValidateID checks a container id: letters, digits and "_+-.", not "." or
// "..", at most 1024 bytes — so it is always a single safe path component.
func ValidateID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("container id: must not be empty")
	case len(id) > maxIDLength:
		return fmt.Errorf("container id: longer than %d bytes", maxIDLength)
	case id == "." || id == ".." || !onlyIDChars(id):
		return fmt.Errorf("container id %q: invalid (allowed: letters, digits and _+-., not . or ..)", id)
	}
	return nil
}

// onlyIDChars reports whether id is made of [A-Za-z0-9_+.-] only (a plain
// loop, not a regexp: compiling one at package init costs every command).
func onlyIDChars(id string) bool {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !isAlnum(c) && c != '_' && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
