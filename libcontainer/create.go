package libcontainer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/cgroups"
	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/phases"
	"github.com/ocirun/ocirun/libcontainer/internal/seal"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
	"github.com/ocirun/ocirun/libcontainer/internal/system"
)

// CreateOptions describe a container to create.
type CreateOptions struct {
	// Root is the state root (e.g. /run/ocirun); ID the container id.
	Root, ID string
	// Bundle is the absolute bundle path, reported in state.
	Bundle  string
	Config  *configs.Config
	Process *configs.Process
	// StartNow execs the program as soon as the container is built (run);
	// otherwise the init waits for Start (create).
	StartNow bool
	// PreserveFds passes the caller's fds 3..3+N-1 to the program.
	PreserveFds int
	// Stdio for the container's process; nil means /dev/null.
	Stdin, Stdout, Stderr *os.File
	// OnReady, if set, is called with the init's pid once the container
	// is ready (before its program starts); an error aborts the create.
	OnReady func(pid int) error
	// ConsoleSocket receives the pty master when Process.Terminal is set;
	// empty means the caller (a foreground run) forwards the terminal.
	ConsoleSocket string
	// beforeStart, if set, runs before the init gets its config (and so
	// before the program can run): Run's signal relay waits there.
	beforeStart func()
}

// Create builds a container and returns once its init is ready: namespaces,
// mounts and cgroups are in place and the program has been found. With
// StartNow the program is running when Create returns.
func Create(opts CreateOptions) (*Container, error) {
	if err := ValidateID(opts.ID); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Root, 0o700); err != nil {
		return nil, fmt.Errorf("create state root: %w", err)
	}
	dir := filepath.Join(opts.Root, opts.ID)
	if err := os.Mkdir(dir, 0o711); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, errContainer(opts.ID, ErrExist)
		}
		return nil, fmt.Errorf("create state dir: %w", err)
	}
	c := &Container{dir: dir}
	lock, err := lockDir(dir)
	if err != nil {
		os.Remove(dir)
		return nil, err
	}
	c.lock = lock
	if err := c.build(opts); err != nil {
		c.abort()
		return nil, err
	}
	return c, nil
}

func (c *Container) build(opts CreateOptions) error {
	clock := phases.New(debugging())
	sealed := seal.Start()
	defer sealed.Close()
	if err := checkRootfsAccess(opts.Config); err != nil {
		return err
	}
	if err := checkRlimits(opts.Config, opts.Process); err != nil {
		return err
	}
	filter, err := c.prepareSeccomp(opts.Config)
	if err != nil {
		return err
	}
	mark(clock, "seccomp compile (cached)")
	cg, err := cgroups.New(cgroupPath(opts.Config), opts.ID)
	if err != nil {
		return err
	}
	c.state = State{
		ID:      opts.ID,
		Bundle:  opts.Bundle,
		Created: time.Now().UTC(),
		Owner:   ownerName(),
		Config:  opts.Config,
		Cgroup:  cg.State(),
	}
	req := spawnRequest{
		namespaces: opts.Config.Namespaces, cfg: opts.Config, preserveFds: opts.PreserveFds,
		stdin: opts.Stdin, stdout: opts.Stdout, stderr: opts.Stderr,
		initStage: useInitStage(opts, filter),
		sealed:    sealed,
	}
	if req.initStage {
		logrus.Debug("create: the parent builds the rootfs, the C stage sets the process up (no Go init)")
	} else {
		logrus.Debug("create: the Go init builds the container")
	}
	if !opts.StartNow {
		if req.fifo, err = c.makeExecFifo(); err != nil {
			return err
		}
		defer req.fifo.Close()
	}
	mark(clock, "cgroup layout, state, exec fifo")
	// The cgroups are made while the init starts: creating a v1 cpuset
	// cgroup alone waits for an RCU grace period (2-8 ms here).
	prep := prepareCgroups(cg, opts.Config)
	defer c.settleCgroups(prep) // a failed create destroys what it made
	stopIDMapHolders, err := startIDMapHolders(opts.Config)
	if err != nil {
		return err
	}
	defer stopIDMapHolders() // the init has opened the namespaces once ready
	p, err := spawn(req)
	if err != nil {
		return err
	}
	defer p.close()
	c.state.InitPid = p.pid
	mark(clock, "seal binary, clone with namespaces, exec init")
	cg, err = c.settleCgroups(prep)
	if err != nil {
		return err
	}
	mark(clock, "cgroups: create, limits (while the init starts)")
	if opts.beforeStart != nil {
		opts.beforeStart()
	}
	if err := c.place(p, cg, opts); err != nil {
		return explainInitDeath(err, p.pid, opts.Config)
	}
	mark(clock, "cgroups: place")
	if req.initStage {
		err = c.buildWithInitStage(p, opts, filter, clock)
	} else {
		err = c.configure(p, opts, filter, clock)
	}
	if err != nil {
		return explainInitDeath(err, p.pid, opts.Config)
	}
	mark(clock, "init handshake until ready")
	st, err := system.Stat(p.pid)
	if err != nil {
		return fmt.Errorf("init process %d: %w", p.pid, err)
	}
	c.state.InitStartTime = st.StartTime
	c.state.NamespacePaths = namespacePaths(opts.Config, p.pid)
	if err := c.saveState(); err != nil {
		return err
	}
	if opts.OnReady != nil {
		if err := opts.OnReady(p.pid); err != nil {
			return err
		}
	}
	if !opts.StartNow {
		return nil
	}
	if err := waitExec(p); err != nil {
		return err
	}
	// A failing poststart hook fails the run; Create's abort destroys.
	return c.runPoststartHooks()
}

// awaitReady serves the init's hook requests and takes its pty master
// until it is ready.
func (c *Container) awaitReady(p *initProcess, consoleSocket string) error {
	for {
		msg, fds, err := syncproto.Recv(p.sock)
		if err != nil {
			return initError(err)
		}
		switch msg.Type {
		case syncproto.TypeConsole:
			if err := c.takeConsole(fds, consoleSocket); err != nil {
				return err
			}
		case syncproto.TypeSeccompNotify:
			if err := c.sendSeccompListener(p.pid, fds); err != nil {
				return err
			}
		case syncproto.TypeReady:
			for _, ph := range msg.Phases {
				logPhase("  init: ", ph)
			}
			return nil
		case syncproto.TypeError:
			return errors.New(msg.Msg)
		case syncproto.TypeHooks:
			if err := c.runCreateHooks(); err != nil {
				return err
			}
			if err := syncproto.Send(p.sock, &syncproto.Message{Type: syncproto.TypeHooksDone}); err != nil {
				return err
			}
		default:
			return fmt.Errorf("protocol error: unexpected %q message before ready", msg.Type)
		}
	}
}

// place puts the init in its (ready-made) cgroups and moves its network
// devices in: the init builds its cgroup namespace only once it has the
// config (or the init start message), so it must already be placed.
func (c *Container) place(p *initProcess, cg cgroups.Manager, opts CreateOptions) error {
	placed, err := applyCgroup(cg, p.pid, opts.Config.RootlessCgroups)
	c.state.Cgroup = placed.State()
	if err != nil {
		return err
	}
	if len(c.state.Cgroup.Paths) == 0 && len(cg.State().Paths) > 0 && opts.Config.Cgroups != nil {
		// Rootless, and the hierarchy let us create but not join: the
		// limits written would not apply, refuse them.
		if err := setResources(placed, opts.Config.Cgroups.Resources, true); err != nil {
			return err
		}
	}
	if err := moveNetDevicesIn(opts.Config.NetDevices, p.pid); err != nil {
		return err
	}
	if hasCgroupMount(opts.Config) {
		// The rootfs builder mounts these; we have read the host's layout.
		if opts.Config.CgroupMounts, err = cgroupMounts(c.state.Cgroup); err != nil {
			return err
		}
	}
	return nil
}

// configure sends the Go init its config and waits until it is ready.
func (c *Container) configure(p *initProcess, opts CreateOptions, filter *configs.SeccompProgram, clock *phases.Clock) error {
	idmapped, trees, err := openIDMappedTrees(opts.Config)
	if err != nil {
		return err
	}
	defer closeFds(trees) // the init has its own copies once sent
	cfg := &syncproto.InitConfig{
		ID:          opts.ID,
		Config:      opts.Config,
		Process:     opts.Process,
		Create:      !opts.StartNow,
		FifoFd:      p.fifoFd,
		PreserveFds: opts.PreserveFds,
		NewCgroupNs: opts.Config.NewNamespace(configs.NEWCGROUP),
		Pid:         p.pid,
		Bundle:      opts.Bundle,
		Seccomp:     filter,
		Debug:       debugging(),
		IDMapped:    idmapped,
	}
	if err := syncproto.Send(p.sock, &syncproto.Message{Type: syncproto.TypeConfig, Init: cfg}, trees...); err != nil {
		return err
	}
	mark(clock, "send config")
	return c.awaitReady(p, opts.ConsoleSocket)
}

// takeConsole sends the pty master to the console socket, or keeps it for
// a foreground run/exec to forward.
func (c *Container) takeConsole(fds []int, consoleSocket string) error {
	if len(fds) != 1 {
		return fmt.Errorf("protocol error: console message with %d fds", len(fds))
	}
	master := os.NewFile(uintptr(fds[0]), "/dev/ptmx")
	if consoleSocket == "" {
		c.console = master
		return nil
	}
	defer master.Close()
	return sendConsole(consoleSocket, master)
}

// waitExec waits until the init has exec'd the program (its end of the
// socket closes) or reports why it could not.
func waitExec(p *initProcess) error {
	msg, _, err := syncproto.Recv(p.sock)
	if errors.Is(err, syncproto.ErrClosed) {
		return nil
	}
	if err != nil {
		return err
	}
	if msg.Type == syncproto.TypeError {
		return errors.New(msg.Msg)
	}
	return fmt.Errorf("protocol error: unexpected %q message after ready", msg.Type)
}

// initError turns a closed socket (the init died without a word) into a
// readable error that still is ErrClosed, so that explainInitDeath can
// replace it by what happened to the init.
func initError(err error) error {
	if errors.Is(err, syncproto.ErrClosed) {
		return initGone{err}
	}
	return err
}

type initGone struct{ err error }

func (e initGone) Error() string { return "container init exited before the container was ready" }
func (e initGone) Unwrap() error { return e.err }

// abort undoes a failed create: nothing of the container may be left.
func (c *Container) abort() {
	if c.state.InitPid > 0 {
		unix.Kill(c.state.InitPid, unix.SIGKILL)
		waitGone(c.state.InitPid, 5*time.Second)
	}
	c.cgroup().Destroy()
	os.RemoveAll(c.dir)
	c.Close()
	// A failed create continues the lifecycle at delete (runtime-spec).
	c.runPoststopHooks()
}

func hasCgroupMount(cfg *configs.Config) bool {
	for _, m := range cfg.Mounts {
		if m.Device == "cgroup" {
			return true
		}
	}
	return false
}

func cgroupPath(cfg *configs.Config) string {
	if cfg.Cgroups == nil {
		return ""
	}
	return cfg.Cgroups.Path
}

// namespacePaths records where each of the container's namespaces can be
// joined later.
func namespacePaths(cfg *configs.Config, pid int) map[configs.NamespaceType]string {
	paths := make(map[configs.NamespaceType]string)
	for _, ns := range cfg.Namespaces {
		if ns.Path != "" {
			paths[ns.Type] = ns.Path
		} else {
			paths[ns.Type] = "/proc/" + strconv.Itoa(pid) + "/ns/" + ns.Type.ProcName()
		}
	}
	return paths
}

func ownerName() string {
	uid := strconv.Itoa(os.Geteuid())
	if u, err := user.LookupId(uid); err == nil {
		return u.Username
	}
	return "#" + uid
}

// cgroupPrep creates a new container's cgroups and writes its limits in
// the background; only placing the init waits for it.
type cgroupPrep struct {
	done chan struct{}
	cg   cgroups.Manager
	err  error
}

func prepareCgroups(cg cgroups.Manager, cfg *configs.Config) *cgroupPrep {
	prep := &cgroupPrep{done: make(chan struct{})}
	go func() {
		defer close(prep.done)
		// Limits go in before any process: nothing runs unconfined.
		prep.cg, prep.err = applyCgroup(cg, 0, cfg.RootlessCgroups)
		if prep.err == nil && cfg.Cgroups != nil {
			prep.err = setResources(prep.cg, cfg.Cgroups.Resources, cfg.RootlessCgroups)
		}
	}()
	return prep
}

// settleCgroups waits for prep and records what it created in the state,
// even on error, so that abort removes it. It may be called again.
func (c *Container) settleCgroups(prep *cgroupPrep) (cgroups.Manager, error) {
	<-prep.done
	if prep.cg != nil {
		c.state.Cgroup = prep.cg.State()
	}
	return prep.cg, prep.err
}
