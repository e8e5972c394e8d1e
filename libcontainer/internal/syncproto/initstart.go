package syncproto

import (
	"encoding/binary"
	"os"
)

// EnvInitStage tells the C stage of a new container's init to build the
// container with the parent instead of starting the Go init (message 3c
// in the package doc).
const EnvInitStage = "_OCIRUN_INIT_STAGE"

// TypeProcfs answers the init start message (C stage → parent): its fd,
// when asked for, is a proc filesystem context opened in the container's
// pid namespace.
const TypeProcfs = "procfs"

// InitStart is the "init-start" message (parent → C stage), sent once the
// init is in its cgroups. Layout, as for ExecPlan: magic "OCI1", flags,
// exec fifo fd (-1 for run).
type InitStart struct {
	// NewCgroupNs: unshare the cgroup namespace now (we are placed).
	NewCgroupNs bool
	// ProcFs: send a proc filesystem context with the answer.
	ProcFs bool
	// FifoFd is the init's fd of the exec fifo; -1 when there is none.
	FifoFd int
}

const (
	startMagic     = 0x3149434f // "OCI1" in little-endian memory
	startCgroupNs  = 1
	startProcFs    = 2
	startFrameSize = 12
)

// Encode lays the message out as nsenter.c reads it.
func (s InitStart) Encode() []byte {
	var flags uint32
	if s.NewCgroupNs {
		flags |= startCgroupNs
	}
	if s.ProcFs {
		flags |= startProcFs
	}
	b := make([]byte, 0, startFrameSize)
	b = binary.NativeEndian.AppendUint32(b, startMagic)
	b = binary.NativeEndian.AppendUint32(b, flags)
	return binary.NativeEndian.AppendUint32(b, uint32(int32(s.FifoFd)))
}

// SendInitStart writes the message as one frame.
func SendInitStart(sock *os.File, s InitStart) error {
	return sendFrame(sock, s.Encode(), "init start")
}
