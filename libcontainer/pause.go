package libcontainer

import "fmt"

// Pause freezes every process of a running container.
func (c *Container) Pause() error {
	if status := c.Status(); status != Running {
		return fmt.Errorf("container %q is %s: only a running container can be paused", c.state.ID, status)
	}
	if !c.hasCgroup() {
		return c.errNoCgroup("pause")
	}
	return c.cgroup().Freeze(true)
}

// Resume thaws a paused container.
func (c *Container) Resume() error {
	if status := c.Status(); status != Paused {
		return fmt.Errorf("container %q is %s, not paused", c.state.ID, status)
	}
	return c.cgroup().Freeze(false)
}

// Pids lists every process of the container (host pids).
func (c *Container) Pids() ([]int, error) {
	if !c.hasCgroup() {
		return pidsInNamespace(c.state.InitPid)
	}
	return c.cgroup().Pids()
}
