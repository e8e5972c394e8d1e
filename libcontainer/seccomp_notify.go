package libcontainer

import (
	"encoding/json"
	"fmt"
	"net"
	"os"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// sendSeccompListener hands the notify fd of process pid (the init's or an
// exec'd process's) to the seccomp agent at linux.seccomp.listenerPath,
// with the runtime-spec seccomp state, then closes our copy.
func (c *Container) sendSeccompListener(pid int, fds []int) error {
	if len(fds) != 1 {
		for _, fd := range fds {
			unix.Close(fd)
		}
		return fmt.Errorf("protocol error: seccomp-notify message with %d fds", len(fds))
	}
	listener := os.NewFile(uintptr(fds[0]), "seccomp-notify")
	defer listener.Close()
	cfg := c.state.Config.Seccomp
	if cfg == nil || cfg.ListenerPath == "" {
		return fmt.Errorf("protocol error: seccomp-notify message without linux.seccomp.listenerPath")
	}
	state, err := json.Marshal(c.seccompState(pid, cfg.ListenerMetadata))
	if err != nil {
		return fmt.Errorf("linux.seccomp.listenerPath: encode seccomp state: %w", err)
	}
	if err := sendToAgent(cfg.ListenerPath, state, int(listener.Fd())); err != nil {
		return fmt.Errorf("linux.seccomp.listenerPath: %w", err)
	}
	return nil
}

// seccompState is the "Seccomp state" of runtime-spec for process pid.
func (c *Container) seccompState(pid int, metadata string) *specs.ContainerProcessState {
	status := specs.StateCreating
	if pid != c.state.InitPid {
		status = specs.ContainerState(c.Status())
	}
	return &specs.ContainerProcessState{
		Version:  specs.Version,
		Fds:      []string{specs.SeccompFdName},
		Pid:      pid,
		Metadata: metadata,
		State:    *c.specState(status),
	}
}

// sendToAgent sends state with fd as SCM_RIGHTS in one message over a new
// connection to the agent's socket at path, then closes it.
func sendToAgent(path string, state []byte, fd int) error {
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return fmt.Errorf("connect to seccomp agent: %w", err)
	}
	defer conn.Close()
	n, _, err := conn.WriteMsgUnix(state, unix.UnixRights(fd), nil)
	if err != nil {
		return fmt.Errorf("send seccomp fd to agent at %s: %w", path, err)
	}
	if n < len(state) {
		if _, err := conn.Write(state[n:]); err != nil {
			return fmt.Errorf("send seccomp state to agent at %s: %w", path, err)
		}
	}
	return nil
}
