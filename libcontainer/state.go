package libcontainer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/cgroups"
	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/system"
)

// Status is a container's lifecycle state as the runtime spec names it.
type Status string

// The statuses.
const (
	Created Status = "created"
	Running Status = "running"
	Stopped Status = "stopped"
	Paused  Status = "paused"
)

const (
	stateFile = "state.json"
	execFifo  = "exec.fifo"
)

// State is what is saved in <root>/<id>/state.json.
type State struct {
	ID string `json:"id"`
	// InitPid and InitStartTime identify the init process even if its pid
	// is later reused by another process.
	InitPid       int       `json:"init_pid"`
	InitStartTime uint64    `json:"init_start_time"`
	Bundle        string    `json:"bundle"`
	Created       time.Time `json:"created"`
	Owner         string    `json:"owner"`
	// NamespacePaths are /proc/<init>/ns/* paths, for joining later (exec).
	NamespacePaths map[configs.NamespaceType]string `json:"namespace_paths,omitempty"`
	Cgroup         cgroups.State                    `json:"cgroup"`
	Config         *configs.Config                  `json:"config"`
}

func (c *Container) saveState() error {
	if err := c.loadConfig(); err != nil { // never save a summary
		return err
	}
	data, err := json.Marshal(&c.state)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	tmp, err := os.CreateTemp(c.dir, ".state-")
	if err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	// rename(2) is atomic: readers see the old or the new state, never half.
	if err := os.Rename(tmp.Name(), filepath.Join(c.dir, stateFile)); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

// Status derives the container's status from its init process: no daemon
// keeps it. The init is alive when a process with its pid and start time
// exists and is not a zombie; alive with the exec fifo still present means
// created (start has not happened yet), alive without it means running.
func (c *Container) Status() Status {
	if !c.initAlive() {
		return Stopped
	}
	if _, err := os.Lstat(filepath.Join(c.dir, execFifo)); err == nil {
		return Created
	}
	if c.cgroup().Frozen() {
		return Paused
	}
	return Running
}

func (c *Container) initAlive() bool {
	if c.state.InitPid <= 0 {
		return false
	}
	st, err := system.Stat(c.state.InitPid)
	if err != nil {
		return false
	}
	return st.StartTime == c.state.InitStartTime && st.State != 'Z' && st.State != 'X'
}

// lock takes an exclusive flock on the container's state directory, so two
// commands never change one container at once. The lock is released when
// the returned file is closed (or the process exits).
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	return f, nil
}
