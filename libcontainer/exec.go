package libcontainer

import (
	"errors"
	"fmt"
	"os"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/cgroups"
	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/phases"
	"github.com/ocirun/ocirun/libcontainer/internal/seal"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

// ExecOptions describe a process to run in an existing container.
type ExecOptions struct {
	Process *configs.Process
	// Detach returns once the process runs; otherwise Exec waits for it.
	Detach      bool
	PreserveFds int
	// Stdio for the process; nil means /dev/null.
	Stdin, Stdout, Stderr *os.File
	// OnReady, if set, gets the process's pid before it execs its program.
	OnReady func(pid int) error
	// ConsoleSocket receives the pty master when Process.Terminal is set
	// (empty: a foreground exec forwards the terminal itself).
	ConsoleSocket string
	// IgnorePaused allows exec into a paused container (the process
	// starts frozen).
	IgnorePaused bool
	// SubCgroups places the process in existing sub-cgroups of the
	// container's cgroup: controller → relative path, "" for every other
	// controller (see cgroups.ParseSubCgroups for `exec --cgroup`).
	SubCgroups map[string]string
}

// Exec runs a process inside the container: it joins every namespace of
// the container (user first), its cgroups, and gets the identity, limits
// and capabilities of opts.Process. Without Detach it waits and returns the
// exit code (128+N for signal N), forwarding signals like Run.
func (c *Container) Exec(opts ExecOptions) (int, error) {
	clock := phases.New(debugging())
	sealed := seal.Start() // meanwhile, the config decodes
	defer sealed.Close()
	if err := c.loadConfig(); err != nil {
		return -1, err
	}
	status := c.Status()
	mark(clock, "exec: config decode, status")
	switch status {
	case Stopped:
		return -1, errors.New("cannot exec in a stopped container")
	case Paused:
		if !opts.IgnorePaused {
			return -1, errors.New("cannot exec in a paused container (use --ignore-paused)")
		}
	}
	var relay *signalRelay
	if !opts.Detach {
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return -1, os.NewSyscallError("prctl(PR_SET_CHILD_SUBREAPER)", err)
		}
		relay = startSignalRelay()
		defer relay.stop()
	}
	pid, err := c.startExec(opts, sealed, clock, relay, status == Paused)
	if err != nil || opts.Detach {
		return -1, err
	}
	return c.forwardWithTerminal(pid, relay.sigs), nil
}

func (c *Container) startExec(opts ExecOptions, sealed *seal.Pending, clock *phases.Clock, relay *signalRelay, paused bool) (int, error) {
	filter, err := c.execSeccomp()
	if err != nil {
		return -1, err
	}
	mark(clock, "exec: seccomp filter (saved at create)")
	cStage := c.useExecStage(opts.Process, filter, paused)
	if cStage {
		logrus.Debug("exec: the C stage sets the process up (no Go init)")
	} else {
		logrus.Debug("exec: the Go init sets the process up")
	}
	p, err := spawn(spawnRequest{
		namespaces:  c.joinNamespaces(),
		cfg:         c.state.Config,
		preserveFds: opts.PreserveFds,
		stdin:       opts.Stdin, stdout: opts.Stdout, stderr: opts.Stderr,
		execStage: cStage,
		sealed:    sealed,
	})
	if err != nil {
		return -1, err
	}
	defer p.close()
	mark(clock, "exec: seal binary, clone, C stage joins the namespaces")
	err = setInitialAffinity(p.pid, opts.Process.CPUAffinity)
	if err == nil {
		relay.wait() // the config lets the process run
		if cStage {
			err = c.configureExecStage(p, opts, filter)
		} else {
			err = c.configureExec(p, opts, filter)
		}
	}
	if err != nil {
		unix.Kill(p.pid, unix.SIGKILL)
		return -1, err
	}
	mark(clock, "exec: cgroups, process set-up until the program runs")
	return p.pid, nil
}

// configureExec places the process in the container's cgroups before it
// can run the program — after the handshake when the container is paused,
// since a frozen process could not complete it.
func (c *Container) configureExec(p *initProcess, opts ExecOptions, filter *configs.SeccompProgram) error {
	cg, err := c.execCgroup(opts.SubCgroups)
	if err != nil {
		return err
	}
	paused := c.Status() == Paused
	if !paused {
		if err := cg.Apply(p.pid); err != nil {
			return err
		}
	}
	cfg := &syncproto.InitConfig{
		ID: c.state.ID, Config: c.state.Config, Process: opts.Process,
		Exec: true, PreserveFds: opts.PreserveFds, AwaitGo: paused,
		Seccomp: filter, Debug: debugging(),
	}
	if err := syncproto.Send(p.sock, &syncproto.Message{Type: syncproto.TypeConfig, Init: cfg}); err != nil {
		return err
	}
	if err := c.awaitExecReady(p, opts); err != nil {
		return err
	}
	if !paused {
		return waitExec(p)
	}
	if err := cg.Apply(p.pid); err != nil {
		return err
	}
	return syncproto.Send(p.sock, &syncproto.Message{Type: syncproto.TypeGo})
}

// configureExecStage is configureExec for the C stage (useExecStage): the
// parent does what the Go init would have done from inside (the oom score,
// the cgroups), then sends the plan.
func (c *Container) configureExecStage(p *initProcess, opts ExecOptions, filter *configs.SeccompProgram) error {
	cg, err := c.execCgroup(opts.SubCgroups)
	if err != nil {
		return err
	}
	if err := cg.Apply(p.pid); err != nil {
		return err
	}
	if err := writeOomScoreAdj(p.pid, opts.Process.OomScoreAdj); err != nil {
		return err
	}
	if err := syncproto.SendExecPlan(p.sock, c.execPlan(opts.Process, opts.PreserveFds, filter)); err != nil {
		return err
	}
	if err := c.awaitExecReady(p, opts); err != nil {
		return err
	}
	return waitExec(p)
}

// awaitExecReady waits for the process's "ready" (taking its console on
// the way) and tells the caller its pid.
func (c *Container) awaitExecReady(p *initProcess, opts ExecOptions) error {
	if err := c.awaitReady(p, opts.ConsoleSocket); err != nil {
		return err
	}
	if opts.OnReady != nil {
		return opts.OnReady(p.pid)
	}
	return nil
}

// execCgroup is the container's cgroup, or the sub-cgroups asked for.
func (c *Container) execCgroup(sub map[string]string) (cgroups.Manager, error) {
	if len(sub) == 0 {
		return c.cgroup(), nil
	}
	st, err := c.state.Cgroup.Sub(sub)
	if err != nil {
		return nil, fmt.Errorf("exec: cgroup: %w", err)
	}
	return cgroups.Load(st), nil
}

// joinNamespaces lists every namespace of the container as a path to join.
func (c *Container) joinNamespaces() []configs.Namespace {
	nss := make([]configs.Namespace, 0, len(c.state.Config.Namespaces))
	for _, ns := range c.state.Config.Namespaces {
		nss = append(nss, configs.Namespace{Type: ns.Type, Path: c.state.NamespacePaths[ns.Type]})
	}
	return nss
}

// setInitialAffinity pins the process being set up to the initial CPUs of
// process.execCPUAffinity, before it joins the container's cgroup; the
// init sets the final ones before it execs the program.
func setInitialAffinity(pid int, a *configs.CPUAffinity) error {
	if a == nil || len(a.Initial) == 0 {
		return nil
	}
	var set unix.CPUSet
	for _, c := range a.Initial {
		set.Set(c)
	}
	if err := unix.SchedSetaffinity(pid, &set); err != nil {
		return fmt.Errorf("process.execCPUAffinity.initial: sched_setaffinity: %w", err)
	}
	return nil
}
