package initproc

import (
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

// seccompStage is the moment the init loads the container's filter.
type seccompStage int

const (
	seccompNone seccompStage = iota
	// seccompBeforeIdentity: without noNewPrivileges, loading a filter
	// needs CAP_SYS_ADMIN, so it happens before capabilities are dropped
	// (as runc does); the profile must then allow what the init does
	// afterwards (setuid, capset, execve...).
	seccompBeforeIdentity
	// seccompBeforeReady: with noNewPrivileges and a listener. The notify
	// fd must reach the parent, and `create` stops listening at "ready".
	seccompBeforeReady
	// seccompBeforeExec: with noNewPrivileges, right before execve, so
	// that the profile need not allow the init's own syscalls.
	seccompBeforeExec
)

func seccompStageOf(ic *syncproto.InitConfig) seccompStage {
	switch {
	case ic.Seccomp == nil:
		return seccompNone
	case !ic.Process.NoNewPrivileges:
		return seccompBeforeIdentity
	case ic.Seccomp.Notify():
		return seccompBeforeReady
	default:
		return seccompBeforeExec
	}
}

// loadSeccompAt loads the filter if now is its stage, and hands the notify
// fd, if any, to the parent.
func loadSeccompAt(now seccompStage, sock *os.File, ic *syncproto.InitConfig) error {
	if seccompStageOf(ic) != now {
		return nil
	}
	fd, err := loadSeccomp(ic.Seccomp)
	if err != nil || fd < 0 {
		return err
	}
	defer unix.Close(fd)
	return syncproto.Send(sock, &syncproto.Message{Type: syncproto.TypeSeccompNotify}, fd)
}

// loadSeccomp installs prog on this thread (all threads with TSYNC) and
// returns the notify fd, or -1 without a listener.
func loadSeccomp(prog *configs.SeccompProgram) (int, error) {
	insns, err := decodeFilter(prog.Filter)
	if err != nil {
		return -1, err
	}
	fprog := unix.SockFprog{Len: uint16(len(insns)), Filter: &insns[0]}
	r, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER,
		uintptr(prog.Flags), uintptr(unsafe.Pointer(&fprog)))
	runtime.KeepAlive(insns)
	if errno != 0 {
		return -1, fmt.Errorf("linux.seccomp: load filter (flags %#x): %w", prog.Flags, errno)
	}
	if prog.Notify() {
		return int(r), nil
	}
	if r != 0 {
		// TSYNC without a listener returns the id of a thread it
		// could not synchronize instead of failing.
		return -1, fmt.Errorf("linux.seccomp: load filter: thread %d could not be synchronized (SECCOMP_FILTER_FLAG_TSYNC)", r)
	}
	return -1, nil
}

// decodeFilter reads the parent's native-order sock_filter array.
func decodeFilter(b []byte) ([]unix.SockFilter, error) {
	const size = 8 // sizeof(struct sock_filter)
	n := len(b) / size
	if n == 0 || len(b)%size != 0 || n > 0xffff {
		return nil, fmt.Errorf("linux.seccomp: bad compiled filter of %d bytes", len(b))
	}
	insns := make([]unix.SockFilter, n)
	for i := range insns {
		in := b[i*size:]
		insns[i] = unix.SockFilter{
			Code: binary.NativeEndian.Uint16(in),
			Jt:   in[2],
			Jf:   in[3],
			K:    binary.NativeEndian.Uint32(in[4:]),
		}
	}
	return insns, nil
}
