// Package sysfile reads and writes the small files of /proc and /sys (a
// process's stat line, a cgroup's state or limits) with few system calls:
// os.ReadFile also stats each file, and both os.ReadFile and os.OpenFile
// register the file with the Go poller (fcntl twice, epoll_ctl twice on
// cgroupfs), which doubles the calls; a container start writes a few dozen
// such files, list reads several per container.
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

// Write writes value to the existing file at path with one write: open
// (O_WRONLY|O_TRUNC, never O_CREAT), write, close. Errors are
// *fs.PathError, as from os.OpenFile and (*os.File).Write.
func Write(path, value string) error {
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_TRUNC|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	b := []byte(value)
	for len(b) > 0 {
		n, err := unix.Write(fd, b)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return &fs.PathError{Op: "write", Path: path, Err: err}
		}
		b = b[n:]
	}
	return nil
}
