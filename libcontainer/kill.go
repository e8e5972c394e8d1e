package libcontainer

import (
	"golang.org/x/sys/unix"
)

// Signal sends sig to the container's init, or with all to every process
// in the container's cgroup (frozen meanwhile, so none can fork away).
func (c *Container) Signal(sig unix.Signal, all bool) error {
	if !all {
		if c.Status() == Stopped {
			return errContainer(c.state.ID, ErrNotRunning)
		}
		return c.signalInit(sig)
	}
	return c.signalAll(sig)
}

func (c *Container) signalAll(sig unix.Signal) error {
	if !c.hasCgroup() {
		pids, err := c.Pids()
		for _, pid := range pids {
			unix.Kill(pid, sig)
		}
		return err
	}
	cg := c.cgroup()
	frozen := cg.Freeze(true) == nil
	pids, err := cg.Pids()
	if err != nil {
		if frozen {
			cg.Freeze(false)
		}
		return err
	}
	for _, pid := range pids {
		unix.Kill(pid, sig) // a process may have exited meanwhile
	}
	if frozen {
		return cg.Freeze(false)
	}
	return nil
}
