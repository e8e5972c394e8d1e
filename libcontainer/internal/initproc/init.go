// Package initproc is the Go stage of the container's init process (child
// side): it receives the config from the parent, builds the container
// around itself and execs the user program. See syncproto for the protocol.
package initproc

import (
	"fmt"
	"os"
	"runtime"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/hooks"
	"github.com/ocirun/ocirun/libcontainer/internal/phases"
	"github.com/ocirun/ocirun/libcontainer/internal/rootfs"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

func init() {
	// Namespace, credential and capability changes are per thread: keep
	// main on the main thread, which is also the one that execs. Only in
	// the init: a locked main goroutine makes every wake-up of the CLI a
	// hand-off between threads (hundreds of context switches per run).
	if len(os.Args) > 1 && os.Args[1] == "init" {
		runtime.LockOSThread()
	}
}

// Main runs the init. It never returns: it execs the program or exits 1
// after telling the parent why.
func Main() {
	sock, err := syncSocket()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ocirun init:", err)
		os.Exit(1)
	}
	if err := run(sock); err != nil {
		syncproto.Send(sock, &syncproto.Message{Type: syncproto.TypeError, Msg: err.Error()})
		os.Exit(1)
	}
}

func syncSocket() (*os.File, error) {
	s := os.Getenv(syncproto.EnvSyncFd)
	fd, err := strconv.Atoi(s)
	if err != nil || fd < 3 {
		return nil, fmt.Errorf("must be started by ocirun, not by hand (%s=%q)", syncproto.EnvSyncFd, s)
	}
	os.Unsetenv(syncproto.EnvSyncFd)
	unix.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "sync"), nil
}

func run(sock *os.File) error {
	msg, fds, err := syncproto.Expect(sock, syncproto.TypeConfig)
	if err != nil {
		return err
	}
	ic := msg.Init
	if ic == nil || ic.Config == nil || ic.Process == nil {
		return fmt.Errorf("protocol error: empty config message")
	}
	if err := takeIDMappedTrees(ic, fds); err != nil {
		return err
	}
	clock := phases.New(ic.Debug)
	if ic.NewCgroupNs {
		// Only now: the parent placed us in our cgroups before sending
		// the config, so the new namespace is rooted at the right cgroup.
		if err := unix.Unshare(unix.CLONE_NEWCGROUP); err != nil {
			return fmt.Errorf("create cgroup namespace: %w", err)
		}
	}
	var procDir *os.File
	if ic.Create {
		// The host's /proc, kept to reopen the exec fifo after pivot_root
		// (the container may have no /proc of its own). Closed before exec.
		if procDir, err = os.OpenFile("/proc", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err != nil {
			return fmt.Errorf("open /proc: %w", err)
		}
	}
	if ic.Exec {
		err = setupExec(ic)
	} else {
		err = setupContainer(sock, ic)
	}
	if err != nil {
		return err
	}
	clock.Mark("container: rootfs, mounts, pivot_root, sysctls")
	if ic.Process.Terminal {
		if err := setupConsole(sock, ic.Process, !ic.Exec); err != nil {
			return err
		}
		clock.Mark("console")
	}
	p, err := prepareProcess(sock, ic)
	if err != nil {
		return err
	}
	clock.Mark("process: limits, LSM, seccomp, identity")
	if err := syncproto.Send(sock, &syncproto.Message{Type: syncproto.TypeReady, Phases: clock.List}); err != nil {
		return err
	}
	if ic.Create {
		return startOnSignal(procDir, ic, p)
	}
	if ic.AwaitGo {
		if _, _, err := syncproto.Expect(sock, syncproto.TypeGo); err != nil {
			return err
		}
	}
	if err := runHooks(ic, hooks.StartContainer, specs.StateCreated); err != nil {
		return err
	}
	return p.exec()
}

// setupExec prepares a process joining a running container: its
// namespaces (joined by the C stage) and root are the container's already.
func setupExec(ic *syncproto.InitConfig) error {
	if err := setOomScoreAdj(ic.Process.OomScoreAdj); err != nil {
		return err
	}
	if ic.Config.NoNewKeyring {
		return nil
	}
	return joinSessionKeyring(ic.ID)
}

// setupContainer builds everything of the container that is not the
// process: keyring, then Build.
func setupContainer(sock *os.File, ic *syncproto.InitConfig) error {
	cfg := ic.Config
	if err := setOomScoreAdj(ic.Process.OomScoreAdj); err != nil {
		return err
	}
	if !cfg.NoNewKeyring {
		if err := joinSessionKeyring(ic.ID); err != nil {
			return err
		}
	}
	beforePivot := func() error { return createHooks(sock, ic) }
	return Build(cfg, rootfs.Options{Cwd: ic.Process.Cwd, BeforePivot: beforePivot})
}

// Build makes the new container's loopback, root filesystem, hostname,
// sysctls and path restrictions. It runs in the Go init, or in a thread
// of the parent that has joined the init's namespaces (see
// libcontainer/initstage.go): everything here acts on the calling
// thread's namespaces and root.
func Build(cfg *configs.Config, opts rootfs.Options) error {
	if cfg.NewNamespace(configs.NEWNET) {
		if err := bringLoopbackUp(); err != nil {
			return err
		}
	}
	if err := rootfs.Prepare(cfg, opts); err != nil {
		return err
	}
	if err := setHostnames(cfg.Hostname, cfg.Domainname); err != nil {
		return err
	}
	if err := writeSysctls(cfg.Sysctl); err != nil {
		return err
	}
	return rootfs.RestrictPaths(cfg)
}

// startOnSignal blocks until `ocirun start` opens the exec fifo for
// reading, runs the startContainer hooks, answers start ("0", or "1" and
// the error) and execs the program.
func startOnSignal(procDir *os.File, ic *syncproto.InitConfig, p *program) error {
	path := "self/fd/" + strconv.Itoa(ic.FifoFd)
	fd, err := unix.Openat(int(procDir.Fd()), path, unix.O_WRONLY|unix.O_CLOEXEC, 0)
	procDir.Close()
	if err != nil {
		return fmt.Errorf("open exec fifo: %w", err)
	}
	unix.Close(ic.FifoFd)
	if err := runHooks(ic, hooks.StartContainer, specs.StateCreated); err != nil {
		unix.Write(fd, []byte("1"+err.Error()))
		return err
	}
	if _, err := unix.Write(fd, []byte{'0'}); err != nil {
		return fmt.Errorf("write exec fifo: %w", err)
	}
	// fd is O_CLOEXEC: exec closes it, and `start` sees EOF.
	return p.exec()
}

// takeIDMappedTrees gives each idmapped mount the detached tree the parent
// sent for it with the config.
func takeIDMappedTrees(ic *syncproto.InitConfig, fds []int) error {
	if len(fds) != len(ic.IDMapped) {
		return fmt.Errorf("protocol error: config with %d fds for %d idmapped mounts", len(fds), len(ic.IDMapped))
	}
	for k, i := range ic.IDMapped {
		if i < 0 || i >= len(ic.Config.Mounts) || !ic.Config.Mounts[i].IsIDMapped() {
			return fmt.Errorf("protocol error: mounts[%d] is not an idmapped mount", i)
		}
		ic.Config.Mounts[i].IDMapTree = fds[k]
	}
	return nil
}
