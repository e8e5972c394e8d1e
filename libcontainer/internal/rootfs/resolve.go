package rootfs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	pathrs "github.com/cyphar/filepath-securejoin/pathrs-lite"
	"github.com/cyphar/filepath-securejoin/pathrs-lite/procfs"
	"golang.org/x/sys/unix"
)

// maxSymlinkHops bounds how many symlinks one resolution follows, like the
// kernel's MAXSYMLINKS, so a symlink loop in the rootfs ends with ELOOP.
const maxSymlinkHops = 40

// errLeafSymlink is returned when a destination that must be a realPath
// directory (proc, sysfs) is a symlink: mounting through it is the
// CVE-2019-16884 class of attack.
var errLeafSymlink = errors.New("destination must be a directory, not a symlink")

// createFunc makes the missing final component name inside the directory
// fd parent. It must not follow symlinks (mkdirat, O_CREAT|O_EXCL, mknodat).
type createFunc func(parent int, name string) error

// resolveOpts say what to do with the last path component.
type resolveOpts struct {
	create        createFunc // nil: a missing destination is ENOENT
	refuseSymlink bool       // a symlink as the last component is an error
}

// resolver resolves container paths inside a root directory handle so that
// no symlink (or "..") can lead out of it: symlinks are interpreted as if
// the root were "/".
type resolver struct {
	root     *os.File
	rootPath string // realPath path of root, to place relative symlink targets
}

// target is a resolved destination: the directory holding it, its name
// there, and an O_PATH handle of it.
type target struct {
	parent *os.File
	name   string
	file   *os.File
}

func newResolver(rootPath string) (*resolver, error) {
	root, err := os.OpenFile(rootPath, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open root %s: %w", rootPath, err)
	}
	realPath, err := procfs.ProcSelfFdReadlink(root)
	if err != nil {
		_ = root.Close()
		return nil, fmt.Errorf("readlink root handle of %s: %w", rootPath, err)
	}
	return &resolver{root: root, rootPath: realPath}, nil
}

func (r *resolver) close() { _ = r.root.Close() }

// procFdPath names f through /proc/self/fd so mount(2) acts on exactly the
// inode we resolved, not on whatever the path points to a moment later.
func procFdPath(f *os.File) string {
	return "/proc/self/fd/" + strconv.Itoa(int(f.Fd()))
}

// path is the mount(2) target for t.
func (t *target) path() string { return procFdPath(t.file) }

// refresh re-opens t by name in its parent. After mounting onto
// /proc/self/fd/N the old handle still points at the covered inode; the
// lookup by name crosses into the new mount, so later remounts, statfs and
// propagation changes act on the new mount.
func (t *target) refresh() error {
	f, err := openNoFollow(t.parent, t.name)
	if err != nil {
		return err
	}
	_ = t.file.Close()
	t.file = f
	return nil
}

func (t *target) close() {
	_ = t.file.Close()
	_ = t.parent.Close()
}

func openNoFollow(dir *os.File, name string) (*os.File, error) {
	fd, err := unix.Openat(int(dir.Fd()), name, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "openat", Path: dir.Name() + "/" + name, Err: err}
	}
	return os.NewFile(uintptr(fd), dir.Name()+"/"+name), nil
}

// resolve finds dest inside the root, creating it with opts.create when it
// is missing. Parent directories are created only when opts.create is set.
func (r *resolver) resolve(dest string, opts resolveOpts) (*target, error) {
	p := filepath.Clean("/" + dest)
	for hop := 0; hop <= maxSymlinkHops; hop++ {
		if p == "/" {
			return nil, fmt.Errorf("resolve %s: destination is the root itself", dest)
		}
		dir, name := filepath.Split(p)
		parent, err := r.openDir(dir, opts.create != nil)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", dest, err)
		}
		t, next, err := r.step(parent, name, p, opts)
		if t != nil {
			return t, nil
		}
		_ = parent.Close()
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", dest, err)
		}
		p = next
	}
	return nil, fmt.Errorf("resolve %s: %w", dest, unix.ELOOP)
}

func (r *resolver) openDir(dir string, create bool) (*os.File, error) {
	if f := r.openDirFast(dir); f != nil {
		return f, nil
	}
	if create {
		return pathrs.MkdirAllHandle(r.root, dir, 0o755)
	}
	return pathrs.OpenatInRoot(r.root, dir)
}

// openDirFast opens an existing directory with one openat2(RESOLVE_IN_ROOT)
// call: the kernel resolves symlinks and ".." as if r.root were "/" and
// fails with EAGAIN when a rename or mount races the lookup. It returns nil
// on any failure (missing directories to create, an old kernel, a race);
// the caller then takes pathrs-lite's slower, verified walk, which also
// gives the errors their usual wording.
func (r *resolver) openDirFast(dir string) *os.File {
	fd, err := unix.Openat2(int(r.root.Fd()), dir, &unix.OpenHow{
		Flags:   unix.O_PATH | unix.O_DIRECTORY | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS,
	})
	if err != nil {
		return nil
	}
	return os.NewFile(uintptr(fd), filepath.Join(r.rootPath, dir))
}

// step looks at the last component: it returns the target when it is there,
// or the next path to try (after creating it, or the symlink's target).
func (r *resolver) step(parent *os.File, name, p string, opts resolveOpts) (*target, string, error) {
	var st unix.Stat_t
	err := unix.Fstatat(int(parent.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW)
	switch {
	case errors.Is(err, unix.ENOENT) && opts.create != nil:
		if err := opts.create(int(parent.Fd()), name); err != nil && !errors.Is(err, unix.EEXIST) {
			return nil, "", fmt.Errorf("create %s: %w", p, err)
		}
		return nil, p, nil // look again: it may have been replaced meanwhile
	case err != nil:
		return nil, "", &os.PathError{Op: "fstatat", Path: p, Err: err}
	case st.Mode&unix.S_IFMT == unix.S_IFLNK:
		if opts.refuseSymlink {
			return nil, "", errLeafSymlink
		}
		next, err := r.followLink(parent, name)
		return nil, next, err
	}
	f, err := openNoFollow(parent, name)
	if err != nil {
		return nil, "", err
	}
	if isSymlink(f) { // swapped for a symlink after the fstatat: go again
		_ = f.Close()
		return nil, p, nil
	}
	return &target{parent: parent, name: name, file: f}, "", nil
}

func isSymlink(f *os.File) bool {
	var st unix.Stat_t
	return unix.Fstat(int(f.Fd()), &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK
}

// followLink returns the in-root path a symlink points to. A relative
// target is joined to the parent's realPath location, not to the path we were
// given, since that path may itself have gone through symlinks.
func (r *resolver) followLink(parent *os.File, name string) (string, error) {
	buf := make([]byte, unix.PathMax)
	n, err := unix.Readlinkat(int(parent.Fd()), name, buf)
	if err != nil {
		return "", &os.PathError{Op: "readlinkat", Path: parent.Name() + "/" + name, Err: err}
	}
	link := string(buf[:n])
	if filepath.IsAbs(link) {
		return filepath.Clean(link), nil
	}
	realPath, err := procfs.ProcSelfFdReadlink(parent)
	if err != nil {
		return "", fmt.Errorf("readlink handle of %s: %w", parent.Name(), err)
	}
	inRoot, ok := pathInRoot(r.rootPath, realPath)
	if !ok {
		return "", fmt.Errorf("%s is outside the root %s", realPath, r.rootPath)
	}
	return filepath.Join(inRoot, link), nil
}

// pathInRoot turns a realPath path below root into the path seen from root.
func pathInRoot(root, realPath string) (string, bool) {
	if root == "/" {
		return realPath, strings.HasPrefix(realPath, "/")
	}
	if realPath == root {
		return "/", true
	}
	rest, ok := strings.CutPrefix(realPath, root+"/")
	return "/" + rest, ok
}

func mkdirLeaf(parent int, name string) error {
	return unix.Mkdirat(parent, name, 0o755)
}

// touchLeaf makes an empty file to bind a non-directory onto. O_EXCL makes
// the kernel refuse rather than follow a symlink put there meanwhile.
func touchLeaf(parent int, name string) error {
	fd, err := unix.Openat(parent, name, unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_WRONLY|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return err
	}
	return unix.Close(fd)
}
