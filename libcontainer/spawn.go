package libcontainer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/nsenter"
	"github.com/ocirun/ocirun/libcontainer/internal/seal"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

// initProcess is the parent's view of a container init being set up.
type initProcess struct {
	pid    int
	sock   *os.File // parent's end of the sync socket
	fifoFd int      // the exec fifo's fd number in the init (create only)
}

func (p *initProcess) close() { p.sock.Close() }

// spawnRequest says how to start one `ocirun init`: for a new container
// (create/run) or for a process joining one (exec).
type spawnRequest struct {
	// namespaces to create (no path) or join (path).
	namespaces []configs.Namespace
	// cfg supplies the id mappings of a new user namespace.
	cfg         *configs.Config
	preserveFds int
	stdin       *os.File
	stdout      *os.File
	stderr      *os.File
	// fifo is the exec fifo handle to pass (create only).
	fifo *os.File
	// execStage: the C stage sets the process up from an exec plan and
	// execs the program itself (exec only, see useExecStage).
	execStage bool
	// initStage: a new container's init is the C stage only; the parent
	// builds the rootfs (create/run, see useInitStage).
	initStage bool
	// sealed is the sealed binary, started early by the caller; nil seals
	// it here. spawn closes it.
	sealed *seal.Pending
}

// spawn starts `ocirun init` (the sealed binary) in its namespaces and
// returns once its pid in our pid namespace is known.
func spawn(req spawnRequest) (*initProcess, error) {
	parentSock, childSock, err := socketPair()
	if err != nil {
		return nil, err
	}
	defer childSock.Close()
	extra := make([]*os.File, 0, req.preserveFds+2)
	for i := 0; i < req.preserveFds; i++ {
		extra = append(extra, os.NewFile(uintptr(3+i), "preserved-fd"))
	}
	extra = append(extra, childSock)
	syncFd := 2 + len(extra)
	p := &initProcess{sock: parentSock, fifoFd: -1}
	if req.fifo != nil {
		extra = append(extra, req.fifo)
		p.fifoFd = 2 + len(extra)
	}
	if req.sealed == nil {
		req.sealed = seal.Start()
	}
	// Once the child has exec'd the binary (or failed to), the handle and
	// its mounts can go, off the critical path (see seal.Pending).
	defer func() { go req.sealed.Close() }()
	cmd, err := initCommand(req, extra, syncFd)
	if err != nil {
		parentSock.Close()
		return nil, err
	}
	if err := p.start(cmd, req); err != nil {
		parentSock.Close()
		return nil, err
	}
	return p, nil
}

func (p *initProcess) start(cmd *exec.Cmd, req spawnRequest) error {
	cfg := req.cfg
	// Maps an unprivileged caller cannot write itself need newuidmap,
	// which works on an existing process: the C stage then makes the user
	// namespace and asks for them.
	plan := nsenter.MakePlan(req.namespaces, !selfMappable(cfg))
	cmd.Env = append(cmd.Env, plan.Env...)
	if offsets := timeOffsets(req); offsets != "" {
		cmd.Env = append(cmd.Env, nsenter.EnvTimeOffsets+"="+offsets)
	}
	cmd.SysProcAttr.Cloneflags = plan.CloneFlags
	if plan.CloneFlags&unix.CLONE_NEWUSER != 0 {
		cmd.SysProcAttr.UidMappings = idMaps(cfg.UIDMappings)
		cmd.SysProcAttr.GidMappings = idMaps(cfg.GIDMappings)
		// Only root may allow setgroups in a namespace it maps itself.
		privileged := os.Geteuid() == 0
		cmd.SysProcAttr.GidMappingsEnableSetgroups = privileged
		// Become root of the new user namespace before exec, or exec
		// would drop every capability the init needs.
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: 0, Gid: 0, NoSetGroups: !privileged}
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start container init: %w", err)
	}
	p.pid = cmd.Process.Pid
	if !plan.Forks {
		return nil
	}
	// The C stage forks the real init and its intermediate exits.
	err := p.receiveForkedPid(cfg, plan.UserNsInC)
	if err != nil {
		// It may be blocked reading the socket (waiting for its id maps).
		p.sock.Close()
	}
	// It exits on its own; its exit (unmapping our binary) and the reaping
	// need not hold us up.
	go cmd.Wait()
	return err
}

func (p *initProcess) receiveForkedPid(cfg *configs.Config, userNs bool) error {
	if userNs {
		msg, _, err := syncproto.Expect(p.sock, syncproto.TypeIdmapRequest)
		if err != nil {
			return initError(err)
		}
		if err := writeIDMaps(msg.Pid, cfg); err != nil {
			return err
		}
		if err := syncproto.Send(p.sock, &syncproto.Message{Type: syncproto.TypeIdmapDone}); err != nil {
			return err
		}
	}
	msg, _, err := syncproto.Expect(p.sock, syncproto.TypeChildPid)
	if err != nil {
		return initError(err)
	}
	p.pid = msg.Pid
	return nil
}

// initCommand prepares the exec of the sealed binary as "ocirun init".
func initCommand(req spawnRequest, extra []*os.File, syncFd int) (*exec.Cmd, error) {
	exe, err := req.sealed.Wait()
	if err != nil {
		return nil, err
	}
	// The handle goes to the child as its last extra fd: only a position
	// in ExtraFiles is safe from the dup2s that set up the child's fds.
	// Any other fd number may be overwritten before execve (Go moves fds
	// to just above the highest one it passes), which made the exec fail
	// with EACCES about once in 40 starts. The init marks it close-on-exec
	// with every fd above the preserved ones before the container's exec.
	extra = append(extra[:len(extra):len(extra)], exe)
	fd := 2 + len(extra)
	env := []string{syncproto.EnvSyncFd + "=" + strconv.Itoa(syncFd), "GOMAXPROCS=1"}
	if req.execStage {
		env = append(env, syncproto.EnvExecStage+"=1")
	}
	if req.initStage {
		env = append(env, syncproto.EnvInitStage+"=1")
	}
	// GOMAXPROCS=1: the init's threads count against the container's
	// pids.max, and it never runs Go code in parallel.
	cmd := &exec.Cmd{
		Path:        "/proc/self/fd/" + strconv.Itoa(fd),
		Args:        []string{"ocirun", "init"},
		Env:         env,
		Dir:         "/",
		Stdin:       req.stdin,
		Stdout:      req.stdout,
		Stderr:      req.stderr,
		ExtraFiles:  extra,
		SysProcAttr: &syscall.SysProcAttr{},
	}
	return cmd, nil
}

// makeExecFifo creates the exec fifo. The init opens it for writing after
// it has become the container's user, so the fifo must be writable by
// anyone (mode 0622 whatever our umask) and belong to the container's root.
func (c *Container) makeExecFifo() (*os.File, error) {
	path := filepath.Join(c.dir, execFifo)
	if err := unix.Mkfifo(path, 0o622); err != nil {
		return nil, fmt.Errorf("create exec fifo: %w", err)
	}
	if err := unix.Chmod(path, 0o622); err != nil {
		return nil, fmt.Errorf("create exec fifo: %w", err)
	}
	if cfg := c.state.Config; cfg != nil && cfg.NewNamespace(configs.NEWUSER) {
		uid, _ := hostID(cfg.UIDMappings, 0)
		gid, _ := hostID(cfg.GIDMappings, 0)
		if err := unix.Lchown(path, int(uid), int(gid)); err != nil {
			return nil, fmt.Errorf("create exec fifo: %w", err)
		}
	}
	fd, err := unix.Open(path, unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open exec fifo: %w", err)
	}
	return os.NewFile(uintptr(fd), path), nil
}

func socketPair() (*os.File, *os.File, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("create sync socket: %w", err)
	}
	return os.NewFile(uintptr(fds[0]), "sync-parent"), os.NewFile(uintptr(fds[1]), "sync-child"), nil
}

func idMaps(m []configs.IDMap) []syscall.SysProcIDMap {
	out := make([]syscall.SysProcIDMap, len(m))
	for i, e := range m {
		out[i] = syscall.SysProcIDMap{ContainerID: int(e.ContainerID), HostID: int(e.HostID), Size: int(e.Size)}
	}
	return out
}

// timeOffsets formats linux.timeOffsets for the C stage (the
// /proc/<pid>/timens_offsets format) when a new time namespace is made.
func timeOffsets(req spawnRequest) string {
	if req.cfg == nil || len(req.cfg.TimeOffsets) == 0 {
		return ""
	}
	for _, ns := range req.namespaces {
		if ns.Type == configs.NEWTIME && ns.Path == "" {
			var b strings.Builder
			for _, clock := range []string{"boottime", "monotonic"} {
				if o, ok := req.cfg.TimeOffsets[clock]; ok {
					fmt.Fprintf(&b, "%s %d %d\n", clock, o.Secs, o.Nanosecs)
				}
			}
			return b.String()
		}
	}
	return ""
}
