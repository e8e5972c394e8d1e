// Package sysfile reads the small files of /proc and /sys (a process's
// stat line, a cgroup's state) with few system calls: os.ReadFile also
// stats each file and registers it with the Go poller, which doubles the
// calls, and list or status checks read several such files per container.
package sysfile

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// Read returns the whole file at path: open, reads until end of file (one
// read and the one that returns 0, for a small file), close. Errors are
// *fs.PathError, as from os.ReadFile.
func Read(path string) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	buf := make([]byte, 0, 512) // a stat line or a cgroup value; grows as needed
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		case n == 0:
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}
