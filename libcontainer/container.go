package libcontainer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/ocirun/ocirun/cgroups"
	"github.com/ocirun/ocirun/libcontainer/configs"
)

// Container is a handle to one container's saved state.
type Container struct {
	dir   string
	state State
	// lock is held while this handle changes the container (nil otherwise).
	lock *os.File
	// console is the pty master a foreground run/exec forwards.
	console *os.File
	// rawConfig is the state file's config while state.Config holds only
	// its summary (Load); loadConfig decodes it.
	rawConfig json.RawMessage
}

// Load opens the container id under root. With exclusive set it also locks
// the container until Close, for operations that change it.
func Load(root, id string, exclusive bool) (*Container, error) {
	if err := ValidateID(id); err != nil {
		return nil, err
	}
	dir := filepath.Join(root, id)
	c := &Container{dir: dir}
	if exclusive {
		l, err := lockDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errContainer(id, ErrNotExist)
		}
		if err != nil {
			return nil, err
		}
		c.lock = l
	}
	s, raw, err := readStateSummary(dir, new(bytes.Buffer), true)
	if err != nil {
		c.Close()
		if errors.Is(err, fs.ErrNotExist) {
			// A directory without state is a create still in progress
			// or one that died half-way: not a container (yet).
			return nil, errContainer(id, ErrNotExist)
		}
		return nil, err
	}
	c.state, c.rawConfig = s, raw
	return c, nil
}

// loadConfig replaces the config summary Load read with the whole config,
// for the operations that use more of it (exec, update).
func (c *Container) loadConfig() error {
	if c.rawConfig == nil {
		return nil
	}
	cfg := new(configs.Config)
	if err := json.Unmarshal(c.rawConfig, cfg); err != nil {
		return fmt.Errorf("read state %s: config: %w", c.dir, err)
	}
	c.state.Config, c.rawConfig = cfg, nil
	return nil
}

// LoadState returns a container's OCI state (what `ocirun state` prints).
// It decodes only the parts of the state file that make it up, as List
// does, not the whole config: Load's full decode costs a command about 2 ms.
func LoadState(root, id string) (OCIState, error) {
	if err := ValidateID(id); err != nil {
		return OCIState{}, err
	}
	dir := filepath.Join(root, id)
	var buf bytes.Buffer
	s, _, err := readStateSummary(dir, &buf, false)
	if errors.Is(err, fs.ErrNotExist) {
		return OCIState{}, errContainer(id, ErrNotExist)
	}
	if err != nil {
		return OCIState{}, err
	}
	return (&Container{dir: dir, state: s}).OCIState(), nil
}

// Close releases the container's lock, if held.
func (c *Container) Close() {
	if c.lock != nil {
		c.lock.Close()
		c.lock = nil
	}
}

// ID returns the container id.
func (c *Container) ID() string { return c.state.ID }

// Pid returns the init process's pid (in the caller's pid namespace).
func (c *Container) Pid() int { return c.state.InitPid }

// OCIState is a container's state as `ocirun state` prints it: the
// runtime-spec state plus the fields runc adds (rootfs, created, owner),
// in runc's field order.
type OCIState struct {
	Version     string            `json:"ociVersion"`
	ID          string            `json:"id"`
	Pid         int               `json:"pid"`
	Status      Status            `json:"status"`
	Bundle      string            `json:"bundle"`
	Rootfs      string            `json:"rootfs"`
	Created     time.Time         `json:"created"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Owner       string            `json:"owner"`
}

// OCIState returns the container's current state.
func (c *Container) OCIState() OCIState {
	status := c.Status()
	s := OCIState{
		Version:     c.state.Config.OCIVersion,
		ID:          c.state.ID,
		Status:      status,
		Bundle:      c.state.Bundle,
		Rootfs:      c.state.Config.Rootfs,
		Created:     c.state.Created,
		Annotations: c.state.Config.Annotations,
		Owner:       c.state.Owner,
	}
	if status != Stopped {
		s.Pid = c.state.InitPid
	}
	return s
}

func (c *Container) cgroup() cgroups.Manager {
	return cgroups.Load(c.state.Cgroup)
}

// Bundle returns the container's bundle directory.
func (c *Container) Bundle() string { return c.state.Bundle }
