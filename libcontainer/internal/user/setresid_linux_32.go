//go:build linux && (386 || arm)

package user

import "golang.org/x/sys/unix"

// On 386 and arm SYS_SETRESUID takes 16-bit ids; the *32 variants do not.
const (
	sysSetresuid = unix.SYS_SETRESUID32
	sysSetresgid = unix.SYS_SETRESGID32
)
