//go:build linux && !386 && !arm

package user

import "golang.org/x/sys/unix"

// Per-thread syscall numbers taking 32-bit ids; on 386 and arm the plain
// numbers are the legacy 16-bit calls (see setresid_linux_32.go).
const (
	sysSetresuid = unix.SYS_SETRESUID
	sysSetresgid = unix.SYS_SETRESGID
)
