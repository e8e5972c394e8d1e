package libcontainer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	cmd, exe, err := initCommand(req, extra, syncFd)
	if err != nil {
		parentSock.Close()
		return nil, err
	}
	defer exe.Close()
	if err := p.start(cmd, req); err != nil {
		parentSock.Close()
		return nil, err
	}
	return p, nil
}

func (p *initProcess) start(cmd *exec.Cmd, req spawnRequest) error {
	cfg := req.cfg
	plan := nsenter.MakePlan(req.namespaces)
	cmd.Env = append(cmd.Env, plan.Env...)
	cmd.SysProcAttr.Cloneflags = plan.CloneFlags
	if plan.CloneFlags&unix.CLONE_NEWUSER != 0 {
		cmd.SysProcAttr.UidMappings = idMaps(cfg.UIDMappings)
		cmd.SysProcAttr.GidMappings = idMaps(cfg.GIDMappings)
		cmd.SysProcAttr.GidMappingsEnableSetgroups = true
		// Become root of the new user namespace before exec, or exec
		// would drop every capability the init needs.
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: 0, Gid: 0}
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start container init: %w", err)
	}
	p.pid = cmd.Process.Pid
	if !plan.Forks {
		return nil
	}
	// The C stage forks the real init and its intermediate exits.
	defer cmd.Wait()
	return p.receiveForkedPid(cfg, plan.UserNsInC)
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
// The returned file is the sealed binary, to close once the child started.
func initCommand(req spawnRequest, extra []*os.File, syncFd int) (*exec.Cmd, *os.File, error) {
	exe, err := seal.Exe()
	if err != nil {
		return nil, nil, err
	}
	defer exe.Close()
	// Move the handle above every fd the child will get, so the dup2s
	// that set up the child's fds cannot overwrite it before execve.
	fd, err := unix.FcntlInt(exe.Fd(), unix.F_DUPFD_CLOEXEC, 3+len(extra)+8)
	if err != nil {
		return nil, nil, fmt.Errorf("seal binary: %w", err)
	}
	exeFile := os.NewFile(uintptr(fd), "ocirun-init")
	cmd := &exec.Cmd{
		Path:        "/proc/self/fd/" + strconv.Itoa(fd),
		Args:        []string{"ocirun", "init"},
		Env:         []string{syncproto.EnvSyncFd + "=" + strconv.Itoa(syncFd)},
		Dir:         "/",
		Stdin:       req.stdin,
		Stdout:      req.stdout,
		Stderr:      req.stderr,
		ExtraFiles:  extra,
		SysProcAttr: &syscall.SysProcAttr{},
	}
	return cmd, exeFile, nil
}

func (c *Container) makeExecFifo() (*os.File, error) {
	path := filepath.Join(c.dir, execFifo)
	if err := unix.Mkfifo(path, 0o622); err != nil {
		return nil, fmt.Errorf("create exec fifo: %w", err)
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

func writeIDMaps(pid int, cfg *configs.Config) error {
	dir := "/proc/" + strconv.Itoa(pid) + "/"
	if err := os.WriteFile(dir+"uid_map", formatIDMap(cfg.UIDMappings), 0); err != nil {
		return fmt.Errorf("linux.uidMappings: write %suid_map: %w", dir, err)
	}
	if err := os.WriteFile(dir+"gid_map", formatIDMap(cfg.GIDMappings), 0); err != nil {
		return fmt.Errorf("linux.gidMappings: write %sgid_map: %w", dir, err)
	}
	return nil
}

func formatIDMap(m []configs.IDMap) []byte {
	var b []byte
	for _, e := range m {
		b = fmt.Appendf(b, "%d %d %d\n", e.ContainerID, e.HostID, e.Size)
	}
	return b
}
