package configs

import "golang.org/x/sys/unix"

// namespaceInfo is what the kernel calls each namespace type.
var namespaceInfo = map[NamespaceType]struct {
	flag uintptr // CLONE_NEW* (also what ioctl NS_GET_NSTYPE returns)
	proc string  // file name under /proc/<pid>/ns/
}{
	NEWPID:    {unix.CLONE_NEWPID, "pid"},
	NEWNET:    {unix.CLONE_NEWNET, "net"},
	NEWNS:     {unix.CLONE_NEWNS, "mnt"},
	NEWIPC:    {unix.CLONE_NEWIPC, "ipc"},
	NEWUTS:    {unix.CLONE_NEWUTS, "uts"},
	NEWUSER:   {unix.CLONE_NEWUSER, "user"},
	NEWCGROUP: {unix.CLONE_NEWCGROUP, "cgroup"},
	NEWTIME:   {unix.CLONE_NEWTIME, "time"},
}

// CloneFlag returns the CLONE_NEW* flag of t; ok is false for an unknown type.
func (t NamespaceType) CloneFlag() (flag uintptr, ok bool) {
	info, ok := namespaceInfo[t]
	return info.flag, ok
}

// ProcName returns the name of t's file in /proc/<pid>/ns/.
func (t NamespaceType) ProcName() string {
	return namespaceInfo[t].proc
}
