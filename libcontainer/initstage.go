package libcontainer

import (
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/hooks"
	"github.com/ocirun/ocirun/libcontainer/internal/initproc"
	"github.com/ocirun/ocirun/libcontainer/internal/phases"
	"github.com/ocirun/ocirun/libcontainer/internal/rootfs"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

// envInitGo forces the Go init for create and run (tests cover both paths
// with it).
const envInitGo = "OCIRUN_INIT_GO"

// buildNamespaces are the namespaces the rootfs builder thread joins: all
// it changes (mounts, hostname, sysctls, lo) lives in one of them.
var buildNamespaces = []configs.NamespaceType{
	configs.NEWNS, configs.NEWUTS, configs.NEWIPC, configs.NEWNET, configs.NEWCGROUP,
}

// useInitStage says whether a new container can do without the Go init:
// the parent builds the rootfs from a thread in the init's namespaces and
// the init, a C stage only, runs an exec plan (see syncproto, message 3c).
// That saves a Go runtime start inside the container, most of `run`. The
// rest keeps the Go init: a user namespace or joined namespaces (a thread
// cannot join a user namespace), hooks that run in the container,
// --no-pivot (chroot is per process), LSM labels, idmapped mounts, more
// than one proc mount, whatever the exec plan cannot carry, and rootless
// callers.
func useInitStage(opts CreateOptions, filter *configs.SeccompProgram) bool {
	cfg, p := opts.Config, opts.Process
	if os.Getenv(envInitGo) == "1" || os.Geteuid() != 0 || cfg.NoPivotRoot || cfg.MountLabel != "" ||
		!planCovers(cfg, p, filter) {
		return false
	}
	for _, phase := range []hooks.Phase{hooks.Prestart, hooks.CreateRuntime, hooks.CreateContainer, hooks.StartContainer} {
		if len(hooks.List(cfg.Hooks, phase)) > 0 {
			return false
		}
	}
	newMnt := false
	for _, ns := range cfg.Namespaces {
		if ns.Path != "" || ns.Type == configs.NEWUSER {
			return false
		}
		newMnt = newMnt || ns.Type == configs.NEWNS
	}
	procs := 0
	for _, m := range cfg.Mounts {
		if m.IsIDMapped() {
			return false
		}
		if m.Device == "proc" && !m.IsBind() {
			procs++
			if !rootfs.ProcFsFlagsOK(m.Flags) {
				return false
			}
		}
	}
	return newMnt && procs <= 1
}

// buildWithInitStage builds the container around an init started with
// the init stage (useInitStage) and placed in its cgroups: the init makes
// its cgroup namespace and a proc context, a thread of ours builds the
// rootfs in its namespaces, then the init runs the exec plan.
func (c *Container) buildWithInitStage(p *initProcess, opts CreateOptions, filter *configs.SeccompProgram, clock *phases.Clock) error {
	cfg := opts.Config
	if err := writeOomScoreAdj(p.pid, opts.Process.OomScoreAdj); err != nil {
		return err
	}
	start := syncproto.InitStart{
		NewCgroupNs: cfg.NewNamespace(configs.NEWCGROUP),
		ProcFs:      hasProcMount(cfg),
		FifoFd:      p.fifoFd,
	}
	if err := syncproto.SendInitStart(p.sock, start); err != nil {
		return err
	}
	_, fds, err := syncproto.Expect(p.sock, syncproto.TypeProcfs)
	defer closeFds(fds)
	if err != nil {
		return initError(err)
	}
	if start.ProcFs != (len(fds) == 1) || len(fds) > 1 {
		return fmt.Errorf("protocol error: procfs message with %d fds", len(fds))
	}
	ropts := rootfs.Options{Cwd: opts.Process.Cwd}
	if start.ProcFs {
		ropts.ProcFs = fds[0]
	}
	mark(clock, "init stage: cgroup namespace, proc context")
	err = inNamespacesOf(p.pid, buildFlags(cfg), func() error { return initproc.Build(cfg, ropts) })
	if err != nil {
		return err
	}
	mark(clock, "container: rootfs, mounts, pivot_root, sysctls (parent thread)")
	plan := c.execPlan(opts.Process, opts.PreserveFds, filter)
	plan.Console = opts.Process.Terminal
	if err := syncproto.SendExecPlan(p.sock, plan); err != nil {
		return err
	}
	if err := c.awaitReady(p, opts.ConsoleSocket); err != nil {
		return err
	}
	mark(clock, "init stage: process: limits, seccomp, identity")
	return nil
}

func hasProcMount(cfg *configs.Config) bool {
	for _, m := range cfg.Mounts {
		if m.Device == "proc" && !m.IsBind() {
			return true
		}
	}
	return false
}

// buildFlags are the clone flags of the new namespaces the builder joins.
func buildFlags(cfg *configs.Config) int {
	flags := 0
	for _, t := range buildNamespaces {
		if cfg.NewNamespace(t) {
			f, _ := t.CloneFlag()
			flags |= int(f)
		}
	}
	return flags
}

// inNamespacesOf runs fn on a new OS thread that has its own fs_struct and
// has joined the namespaces flags of pid. The thread is never unlocked:
// it ends with fn's goroutine, so no other goroutine ever runs in the
// container's namespaces or root (Go starts new threads from a clean
// template thread, never from a locked one).
func inNamespacesOf(pid int, flags int, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		errc <- joinAndRun(pid, flags, fn)
	}()
	return <-errc
}

func joinAndRun(pid int, flags int, fn func() error) error {
	// A thread may only join a mount namespace with an fs_struct of its own.
	if err := unix.Unshare(unix.CLONE_FS); err != nil {
		return fmt.Errorf("build rootfs: unshare fs: %w", err)
	}
	pidfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return fmt.Errorf("build rootfs: pidfd_open %d: %w", pid, err)
	}
	defer unix.Close(pidfd)
	if err := unix.Setns(pidfd, flags); err != nil {
		return fmt.Errorf("build rootfs: join the namespaces (%#x) of init %d: %w", flags, pid, err)
	}
	return fn()
}
