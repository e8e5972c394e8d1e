package user

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// PasswdEntry is one line of /etc/passwd: name:password:uid:gid:gecos:home:shell.
type PasswdEntry struct {
	Name  string
	UID   uint32
	GID   uint32
	Gecos string
	Home  string
	Shell string
}

// maxPasswdSize bounds how much of an image's /etc/passwd is read, so a huge
// or endless file cannot stall the init.
const maxPasswdSize = 16 << 20

// passwdFields is the field count passwd(5) defines.
const passwdFields = 7

// ParsePasswd reads passwd-format lines from r. Blank lines, comments and
// malformed lines (wrong field count, non-numeric ids) are skipped: an image's
// file is not ours to reject. The error is only a read error; the entries
// parsed before it are still returned.
func ParsePasswd(r io.Reader) ([]PasswdEntry, error) {
	var entries []PasswdEntry
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if e, ok := parsePasswdLine(sc.Text()); ok {
			entries = append(entries, e)
		}
	}
	return entries, sc.Err()
}

// parsePasswdLine parses one line, reporting false for anything malformed.
func parsePasswdLine(line string) (PasswdEntry, bool) {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return PasswdEntry{}, false
	}
	f := strings.Split(line, ":")
	if len(f) != passwdFields || f[0] == "" {
		return PasswdEntry{}, false
	}
	uid, err := strconv.ParseUint(f[2], 10, 32)
	if err != nil {
		return PasswdEntry{}, false
	}
	gid, err := strconv.ParseUint(f[3], 10, 32)
	if err != nil {
		return PasswdEntry{}, false
	}
	return PasswdEntry{Name: f[0], UID: uint32(uid), GID: uint32(gid), Gecos: f[4], Home: f[5], Shell: f[6]}, true
}

// HomeDir returns the home directory of uid according to the passwd file at
// passwdPath (inside the container after pivot_root), or "/" when the file,
// the entry or its home field is missing. The init uses it to set HOME when
// process.env does not, as runc does; a lookup failure is not an error there.
func HomeDir(passwdPath string, uid uint32) string {
	entries, _ := readPasswd(passwdPath)
	return homeOf(entries, uid)
}

// HomeDirIn is HomeDir for <root>/etc/passwd, resolved inside root (a
// directory fd: symlinks and ".." cannot leave it), for a parent that
// looks into a container from outside.
func HomeDirIn(root int, uid uint32) string {
	fd, err := unix.Openat2(root, "etc/passwd", &unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_NONBLOCK | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS,
	})
	if err != nil {
		return "/"
	}
	f := os.NewFile(uintptr(fd), "passwd")
	defer f.Close()
	entries, _ := parseRegular(f)
	return homeOf(entries, uid)
}

func homeOf(entries []PasswdEntry, uid uint32) string {
	for _, e := range entries {
		if e.UID == uid {
			if e.Home == "" {
				return "/"
			}
			return e.Home
		}
	}
	return "/"
}

// readPasswd opens path without blocking (a FIFO planted in an image must not
// hang the init) and parses it only if it is a regular file.
func readPasswd(path string) ([]PasswdEntry, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseRegular(f)
}

// parseRegular parses f only if it is a regular file (not a FIFO).
func parseRegular(f *os.File) ([]PasswdEntry, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil
	}
	return ParsePasswd(io.LimitReader(f, maxPasswdSize))
}
