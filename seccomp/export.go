package seccomp

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"

	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"
)

// sockFilterSize is sizeof(struct sock_filter).
const sockFilterSize = 8

// exportBPF returns libseccomp's BPF program for filter. libseccomp 2.5
// only exports to an fd; a memfd holds programs of any size, where a pipe
// would block past its buffer.
func exportBPF(filter *libseccomp.ScmpFilter) ([]byte, error) {
	fd, err := unix.MemfdCreate("ocirun-seccomp", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("linux.seccomp: export BPF: memfd_create: %w", err)
	}
	f := os.NewFile(uintptr(fd), "ocirun-seccomp")
	defer f.Close()
	if err := filter.ExportBPF(f); err != nil {
		return nil, fmt.Errorf("linux.seccomp: export BPF: %w", err)
	}
	bpf, err := io.ReadAll(io.NewSectionReader(f, 0, bpfMaxInsns*sockFilterSize*2))
	if err != nil {
		return nil, fmt.Errorf("linux.seccomp: export BPF: read: %w", err)
	}
	if len(bpf) == 0 || len(bpf)%sockFilterSize != 0 {
		return nil, fmt.Errorf("linux.seccomp: export BPF: got %d bytes, not whole instructions", len(bpf))
	}
	return bpf, nil
}

// encode lays instructions out as the kernel reads them (native order).
func encode(insns []unix.SockFilter) []byte {
	b := make([]byte, 0, len(insns)*sockFilterSize)
	for _, in := range insns {
		b = binary.NativeEndian.AppendUint16(b, in.Code)
		b = append(b, in.Jt, in.Jf)
		b = binary.NativeEndian.AppendUint32(b, in.K)
	}
	return b
}
