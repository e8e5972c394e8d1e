package rootfs

import (
	"testing"

	"golang.org/x/sys/unix"
)

// A proc mount made from a filesystem context takes its flags as mount
// attributes: only flags with an attribute (or none needed) qualify.
func TestProcFsFlagsOK(t *testing.T) {
	for _, tc := range []struct {
		flags int
		ok    bool
	}{
		{0, true},
		{unix.MS_NOSUID | unix.MS_NOEXEC | unix.MS_NODEV, true},
		{unix.MS_RDONLY | unix.MS_RELATIME | unix.MS_PRIVATE, true},
		{unix.MS_SLAVE | unix.MS_STRICTATIME, true},
		{unix.MS_SYNCHRONOUS, false},
		{unix.MS_NOSUID | unix.MS_MANDLOCK, false},
		{unix.MS_REC, false},
	} {
		if got := ProcFsFlagsOK(tc.flags); got != tc.ok {
			t.Errorf("ProcFsFlagsOK(%#x) = %v, want %v", tc.flags, got, tc.ok)
		}
	}
}
