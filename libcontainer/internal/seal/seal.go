// Package seal gives the parent a handle to its own binary that the
// container can never write through /proc/<pid>/exe (the CVE-2019-5736
// class), without copying the binary on every container start.
//
// The first choice is a detached, read-only overlayfs mount whose only
// layers are the binary's own directory: exec'ing the binary from it makes
// /proc/<pid>/exe point into a filesystem that has no upper layer, so any
// open for writing fails with EROFS, and since the mount is attached to no
// namespace it cannot be remounted read-write. It costs one mount (no data
// copy). Where overlayfs or the new mount API is missing, the binary is
// copied once into a sealed memfd instead.
package seal

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"golang.org/x/sys/unix"
)

// Exe returns an O_PATH (or memfd) handle to the running binary that is
// safe to exec inside a container. Exec it through /proc/self/fd/N.
func Exe() (*os.File, error) {
	p := Start()
	f, err := p.Wait()
	p.releaseMounts()
	return f, err
}

// Pending is a seal under way on its own goroutine.
type Pending struct {
	done chan struct{}
	f    *os.File
	err  error
	// mounts are the detached mounts the seal was made of. The handle
	// keeps what it needs of them alive; closing them dissolves them,
	// which waits for an RCU grace period (up to 3 ms here when another
	// container's mounts are going away), so it is left off the
	// caller's critical path.
	mounts   []int
	released sync.Once
	closed   sync.Once
}

// Start seals the binary on a new goroutine, so that the work overlaps
// the caller's own.
func Start() *Pending {
	p := &Pending{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		self, err := os.Readlink("/proc/self/exe")
		if err != nil {
			p.err = fmt.Errorf("seal binary: %w", err)
			return
		}
		if p.f, p.mounts, err = overlayExe(self); err == nil {
			return
		}
		p.f, p.err = memfdExe()
	}()
	return p
}

// Wait returns the sealed binary; the handle stays the Pending's.
func (p *Pending) Wait() (*os.File, error) {
	<-p.done
	return p.f, p.err
}

// Close waits for the seal and closes the handle and its mounts. It may
// be called more than once, from any goroutine.
func (p *Pending) Close() {
	p.releaseMounts()
	p.closed.Do(func() {
		if p.f != nil {
			p.f.Close()
		}
	})
}

func (p *Pending) releaseMounts() {
	<-p.done
	p.released.Do(func() {
		for _, fd := range p.mounts {
			unix.Close(fd)
		}
	})
}

// overlayExe opens the binary from a read-only overlay of its directory;
// it returns the handle and the detached mounts to close.
func overlayExe(self string) (*os.File, []int, error) {
	fsfd, err := unix.Fsopen("overlay", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return nil, nil, fmt.Errorf("fsopen overlay: %w", err)
	}
	defer unix.Close(fsfd)
	// Without an upper layer overlayfs wants two lower ones: the binary's
	// directory and an empty, detached tmpfs.
	empty, err := emptyDir()
	if err != nil {
		return nil, nil, err
	}
	mounts := []int{empty}
	fail := func(err error) (*os.File, []int, error) {
		for _, fd := range mounts {
			unix.Close(fd)
		}
		return nil, nil, err
	}
	lower := filepath.Dir(self) + ":/proc/self/fd/" + strconv.Itoa(empty)
	if err := unix.FsconfigSetString(fsfd, "lowerdir", lower); err != nil {
		return fail(fmt.Errorf("configure overlay: %w", err))
	}
	if err := unix.FsconfigCreate(fsfd); err != nil {
		return fail(fmt.Errorf("create overlay: %w", err))
	}
	mfd, err := unix.Fsmount(fsfd, unix.FSMOUNT_CLOEXEC, unix.MOUNT_ATTR_RDONLY|unix.MOUNT_ATTR_NODEV|unix.MOUNT_ATTR_NOSUID)
	if err != nil {
		return fail(fmt.Errorf("fsmount overlay: %w", err))
	}
	mounts = append(mounts, mfd)
	fd, err := unix.Openat(mfd, filepath.Base(self), unix.O_PATH|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return fail(fmt.Errorf("open sealed binary: %w", err))
	}
	return os.NewFile(uintptr(fd), "ocirun-sealed"), mounts, nil
}

// emptyDir returns a mount fd of a new, empty, detached read-only tmpfs.
func emptyDir() (int, error) {
	fsfd, err := unix.Fsopen("tmpfs", unix.FSOPEN_CLOEXEC)
	if err != nil {
		return -1, fmt.Errorf("fsopen tmpfs: %w", err)
	}
	defer unix.Close(fsfd)
	if err := unix.FsconfigCreate(fsfd); err != nil {
		return -1, fmt.Errorf("create tmpfs: %w", err)
	}
	mfd, err := unix.Fsmount(fsfd, unix.FSMOUNT_CLOEXEC, unix.MOUNT_ATTR_RDONLY)
	if err != nil {
		return -1, fmt.Errorf("fsmount tmpfs: %w", err)
	}
	return mfd, nil
}

func memfdExe() (*os.File, error) {
	fd, err := unix.MemfdCreate("ocirun-sealed", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("seal binary: memfd: %w", err)
	}
	mem := os.NewFile(uintptr(fd), "ocirun-sealed")
	src, err := os.Open("/proc/self/exe")
	if err != nil {
		mem.Close()
		return nil, fmt.Errorf("seal binary: %w", err)
	}
	defer src.Close()
	if _, err := io.Copy(mem, src); err != nil {
		mem.Close()
		return nil, fmt.Errorf("seal binary: copy: %w", err)
	}
	seals := unix.F_SEAL_SEAL | unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE
	if _, err := unix.FcntlInt(mem.Fd(), unix.F_ADD_SEALS, seals); err != nil {
		mem.Close()
		return nil, fmt.Errorf("seal binary: add seals: %w", err)
	}
	return mem, nil
}
