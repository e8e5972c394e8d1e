package main

import (
	"errors"

	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"
)

// answer serves one notify fd until every process using the filter is
// gone (the kernel then fails the receive with ENOENT).
func answer(fd, errno int, log *logger) {
	defer unix.Close(fd)
	for {
		req, err := libseccomp.NotifReceive(libseccomp.ScmpFd(fd))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return
		}
		name, err := req.Data.Syscall.GetNameByArch(req.Data.Arch)
		if err != nil {
			name = "?"
		}
		log.printf("syscall %s pid %d", name, req.Pid)
		// The target may have died (or its syscall been interrupted)
		// meanwhile: then the kernel refuses the answer, which is fine.
		_ = libseccomp.NotifRespond(libseccomp.ScmpFd(fd), response(req.ID, name, errno))
	}
}

// response fakes mkdir: success without doing it, or the chosen errno.
// Anything else the filter sent us runs as if unfiltered.
func response(id uint64, name string, errno int) *libseccomp.ScmpNotifResp {
	resp := &libseccomp.ScmpNotifResp{ID: id}
	switch {
	case name != "mkdir" && name != "mkdirat":
		resp.Flags = libseccomp.NotifRespFlagContinue
	case errno > 0:
		// libseccomp negates it for the kernel.
		resp.Error = int32(errno)
	}
	return resp
}
