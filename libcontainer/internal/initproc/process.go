package initproc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/caps"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
	"github.com/ocirun/ocirun/libcontainer/internal/user"
)

// program is the user program, found and ready to exec.
type program struct {
	path string
	args []string
	env  []string
	// seccomp is loaded right before execve (noNewPrivileges).
	seccomp *configs.SeccompProgram
}

// prepareProcess gives this process the identity and limits of
// process.json and finds the program, leaving only the exec to do.
func prepareProcess(sock *os.File, ic *syncproto.InitConfig) (*program, error) {
	p := ic.Process
	env := WithHome(p.Env, func() string { return user.HomeDir("/etc/passwd", p.User.UID) })
	path, err := lookPath(p.Args[0], env)
	if err != nil {
		return nil, err
	}
	if err := setRlimits(p.Rlimits); err != nil {
		return nil, err
	}
	if err := applyAttrs(ic); err != nil {
		return nil, err
	}
	if err := applyLSM(p); err != nil {
		return nil, err
	}
	if p.NoNewPrivileges {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return nil, fmt.Errorf("process.noNewPrivileges: %w", err)
		}
	}
	if err := loadSeccompAt(seccompBeforeIdentity, sock, ic); err != nil {
		return nil, err
	}
	if err := setIdentity(p); err != nil {
		return nil, err
	}
	// Only the program's own fds (stdio and --preserve-fds) survive exec.
	if err := unix.CloseRange(uint(3+ic.PreserveFds), ^uint(0), unix.CLOSE_RANGE_CLOEXEC); err != nil {
		return nil, fmt.Errorf("mark fds close-on-exec: %w", err)
	}
	if err := loadSeccompAt(seccompBeforeReady, sock, ic); err != nil {
		return nil, err
	}
	prog := &program{path: path, args: p.Args, env: env}
	if seccompStageOf(ic) == seccompBeforeExec {
		prog.seccomp = ic.Seccomp
	}
	return prog, nil
}

// setIdentity switches user and capabilities in the order that keeps the
// capabilities needed for each step: bounding set while root, then uid,
// then the final sets; cwd is entered as the user, as runc does.
func setIdentity(p *configs.Process) error {
	if p.User.UID != 0 {
		fixStdioOwner(p.User)
	}
	if err := caps.DropBounding(p.Capabilities); err != nil {
		return fmt.Errorf("process.capabilities.bounding: %w", err)
	}
	if err := user.SetupUser(p.User); err != nil {
		return fmt.Errorf("process.user: %w", err)
	}
	if err := enterCwd(p.Cwd); err != nil {
		return err
	}
	if err := caps.Apply(p.Capabilities); err != nil {
		return fmt.Errorf("process.capabilities: %w", err)
	}
	return nil
}

// fixStdioOwner hands the inherited stdio to a non-root user so it can
// reopen /dev/stdout and friends, as runc does. Best effort: a pipe from
// another user namespace cannot be chowned, and that is fine.
func fixStdioOwner(u configs.User) {
	for fd := 0; fd < 3; fd++ {
		var st unix.Stat_t
		if unix.Fstat(fd, &st) != nil || st.Rdev == nullRdev() {
			continue
		}
		unix.Fchown(fd, int(u.UID), int(u.GID))
	}
}

func nullRdev() uint64 {
	var st unix.Stat_t
	if unix.Stat("/dev/null", &st) != nil {
		return ^uint64(0)
	}
	return st.Rdev
}

// setRlimits sets process.rlimits. The parent checks the limits first
// (libcontainer/rlimits.go); this is the backstop, e.g. for exec: a
// refused limit is reported by its name, and EPERM is explained.
func setRlimits(limits []configs.Rlimit) error {
	for _, l := range limits {
		rl := unix.Rlimit{Cur: l.Soft, Max: l.Hard}
		if err := unix.Setrlimit(l.Type, &rl); err != nil {
			return rlimitError(l, err)
		}
	}
	return nil
}

// rlimitError names the limit setrlimit refused and, for EPERM, says why:
// the hard limit is above fs.nr_open (RLIMIT_NOFILE, for anyone) or above
// this process's own hard limit, inherited from the caller, which only
// CAP_SYS_RESOURCE in the host's user namespace may raise (never a
// rootless container, nor one with its own user namespace).
func rlimitError(l configs.Rlimit, err error) error {
	name := configs.RlimitName(l.Type)
	if errors.Is(err, unix.EPERM) {
		if nrOpen, ok := NrOpen(); ok && l.Type == unix.RLIMIT_NOFILE && l.Hard > nrOpen {
			return fmt.Errorf("process.rlimits: %s: hard limit %s is above fs.nr_open %d: %w",
				name, FormatRlimit(l.Hard), nrOpen, err)
		}
		var cur unix.Rlimit
		if unix.Getrlimit(l.Type, &cur) == nil && l.Hard > cur.Max {
			return fmt.Errorf("process.rlimits: %s: hard limit %s is above the caller's hard limit %s "+
				"(only CAP_SYS_RESOURCE in the host's user namespace may raise a hard limit): %w",
				name, FormatRlimit(l.Hard), FormatRlimit(cur.Max), err)
		}
	}
	return fmt.Errorf("process.rlimits: %s: set soft %s, hard %s: %w",
		name, FormatRlimit(l.Soft), FormatRlimit(l.Hard), err)
}

// FormatRlimit prints a limit value, RLIM_INFINITY as "unlimited".
func FormatRlimit(v uint64) string {
	if v == unix.RLIM_INFINITY {
		return "unlimited"
	}
	return strconv.FormatUint(v, 10)
}

// NrOpen reads fs.nr_open, the ceiling of RLIMIT_NOFILE's hard limit
// that not even CAP_SYS_RESOURCE lifts; ok is false when it is unreadable.
func NrOpen() (n uint64, ok bool) {
	b, err := os.ReadFile("/proc/sys/fs/nr_open")
	if err != nil {
		return 0, false
	}
	n, err = strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	return n, err == nil
}

// WithHome adds HOME (the container's /etc/passwd entry, from home) when
// env has none, as runc does. The Go init and, for exec's C stage, the
// parent use it.
func WithHome(env []string, home func() string) []string {
	for _, kv := range env {
		if strings.HasPrefix(kv, "HOME=") {
			return env
		}
	}
	return append(env[:len(env):len(env)], "HOME="+home())
}

// ProgramPaths lists where the program is looked for, in order: the name
// itself if it has a slash, else each directory of the container's PATH
// (from process.env, not ours; an empty entry is the cwd).
func ProgramPaths(name string, env []string) []string {
	if strings.Contains(name, "/") {
		return []string{name}
	}
	var paths []string
	for _, dir := range filepath.SplitList(getenv(env, "PATH")) {
		if dir == "" {
			dir = "."
		}
		paths = append(paths, filepath.Join(dir, name))
	}
	return paths
}

// lookPath finds the program among ProgramPaths.
func lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		if err := checkExecutable(name); err != nil {
			return "", fmt.Errorf("exec: %q: %w", name, err)
		}
		return name, nil
	}
	for _, path := range ProgramPaths(name, env) {
		if checkExecutable(path) == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("exec: %q: executable file not found in $PATH", name)
}

func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return unix.EACCES
	}
	return nil
}

func getenv(env []string, key string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], key+"="); ok {
			return v
		}
	}
	return ""
}

func (p *program) exec() error {
	if p.seccomp != nil {
		if _, err := loadSeccomp(p.seccomp); err != nil {
			return err
		}
	}
	err := unix.Exec(p.path, p.args, p.env)
	return fmt.Errorf("exec %s: %w", p.path, err)
}
