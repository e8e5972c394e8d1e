package libcontainer

import (
	"errors"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// Update writes new resource limits to a live container's cgroups and
// records them in its state, as `runc update` does.
func (c *Container) Update(r *specs.LinuxResources) error {
	if err := c.loadConfig(); err != nil {
		return err
	}
	if c.Status() == Stopped {
		return errors.New("cannot update a stopped container")
	}
	if err := setResources(c.cgroup(), r, c.state.Config.RootlessCgroups); err != nil {
		return err
	}
	if c.state.Config.Cgroups == nil {
		c.state.Config.Cgroups = new(configs.Cgroup)
	}
	c.state.Config.Cgroups.Resources = mergeResources(c.state.Config.Cgroups.Resources, r)
	return c.saveState()
}

// mergeResources returns old with every section r sets replaced. Device
// rules given to update are written to the cgroup, so they are recorded
// too (runc 1.1 ignores them in update).
func mergeResources(old, r *specs.LinuxResources) *specs.LinuxResources {
	if old == nil {
		old = new(specs.LinuxResources)
	}
	m := *old
	if r.Memory != nil {
		m.Memory = r.Memory
	}
	if r.CPU != nil {
		m.CPU = r.CPU
	}
	if r.Pids != nil {
		m.Pids = r.Pids
	}
	if r.BlockIO != nil {
		m.BlockIO = r.BlockIO
	}
	if r.HugepageLimits != nil {
		m.HugepageLimits = r.HugepageLimits
	}
	if r.Network != nil {
		m.Network = r.Network
	}
	if r.Rdma != nil {
		m.Rdma = r.Rdma
	}
	if r.Unified != nil {
		m.Unified = r.Unified
	}
	if r.Devices != nil {
		m.Devices = r.Devices
	}
	return &m
}
