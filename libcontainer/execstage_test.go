package libcontainer

import "testing"

func TestRaisableAmbient(t *testing.T) {
	if got := raisableAmbient(0b1011, 0b0011); got != 0b0011 {
		t.Fatalf("raisableAmbient = %#b, want only the permitted and inheritable ones", got)
	}
}
