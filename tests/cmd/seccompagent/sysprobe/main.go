// Command sysprobe makes one raw syscall and prints what it returned, for
// the seccomp integration tests (copied into the container's rootfs). It
// is static (CGO_ENABLED=0) so that it runs in any rootfs.
//
// Usage:
//
//	sysprobe SYSCALL [ARG...]
//
// SYSCALL is a number or one of the names below; ARGs are (signed)
// numbers. It
// prints "ok" or the errno's name (e.g. "ENOSYS") and exits 0.
package main

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// names are the syscalls the tests probe by name.
var names = map[string]uintptr{
	"clone3":      unix.SYS_CLONE3,
	"personality": unix.SYS_PERSONALITY,
	"getpid":      unix.SYS_GETPID,
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 8 {
		fmt.Fprintln(os.Stderr, "usage: sysprobe SYSCALL [ARG...]")
		os.Exit(2)
	}
	nr, ok := names[os.Args[1]]
	if !ok {
		nr = number(os.Args[1])
	}
	var args [6]uintptr
	for i, s := range os.Args[2:] {
		args[i] = number(s)
	}
	_, _, errno := unix.RawSyscall6(nr, args[0], args[1], args[2], args[3], args[4], args[5])
	if errno != 0 {
		fmt.Println(unix.ErrnoName(errno))
		return
	}
	fmt.Println("ok")
}

func number(s string) uintptr {
	n, err := strconv.ParseInt(s, 0, 64) // -1 for a bad fd, for one
	if err != nil {
		fmt.Fprintf(os.Stderr, "sysprobe: %q is not a number or a known syscall\n", s)
		os.Exit(2)
	}
	return uintptr(n)
}
