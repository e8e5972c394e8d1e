package libcontainer

import (
	"strings"
	"testing"
)

func TestValidateID(t *testing.T) {
	for _, ok := range []string{"a", "my-container_1.2+3", strings.Repeat("x", 1024)} {
		if err := ValidateID(ok); err != nil {
			t.Errorf("ValidateID(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "a/b", "../x", "a b", "a\nb", strings.Repeat("x", 1025)} {
		if err := ValidateID(bad); err == nil {
			t.Errorf("ValidateID(%q) accepted", bad)
		}
	}
}
