package user

import "golang.org/x/sys/unix"

// setresuid sets real, effective and saved uid of the calling thread only.
// unix.Setresuid would change every thread of the process (Go's all-threads
// semantics); the raw call keeps the change on the thread that will exec,
// which is all the init needs.
func setresuid(uid uint32) error {
	id := uintptr(uid)
	if _, _, errno := unix.RawSyscall(sysSetresuid, id, id, id); errno != 0 {
		return errno
	}
	return nil
}

// setresgid is setresuid for the gids.
func setresgid(gid uint32) error {
	id := uintptr(gid)
	if _, _, errno := unix.RawSyscall(sysSetresgid, id, id, id); errno != 0 {
		return errno
	}
	return nil
}
