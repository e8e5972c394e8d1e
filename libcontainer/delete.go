package libcontainer

import (
	"fmt"
	"os"
	"time"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"
)

// Destroy removes a container: with force a created or running container
// is killed first; without it only stopped and created ones (like runc) are
// removed. Afterwards no process, cgroup or state of it remains.
func (c *Container) Destroy(force bool) error {
	status := c.Status()
	if status == Running && !force {
		return fmt.Errorf("cannot delete container %s that is not stopped: %s", c.state.ID, status)
	}
	if c.state.Config != nil && len(c.state.Config.NetDevices) > 0 && status != Stopped {
		// Only a live network namespace still holds the devices.
		if err := moveNetDevicesOut(c.state.Config.NetDevices, c.state.InitPid); err != nil {
			logrus.Warn(err)
		}
	}
	if err := c.killAll(); err != nil {
		return err
	}
	if err := c.cgroup().Destroy(); err != nil {
		return err
	}
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("remove state: %w", err)
	}
	c.Close()
	c.runPoststopHooks()
	return nil
}

// killAll kills the init and any process left in the container's cgroup
// (there can be some when the container has no pid namespace of its own).
func (c *Container) killAll() error {
	if fd, err := c.openInit(); err == nil {
		unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
		ok := waitPidfd(fd, 10*time.Second)
		unix.Close(fd)
		if !ok {
			return fmt.Errorf("container %q: init %d did not die after SIGKILL", c.state.ID, c.state.InitPid)
		}
	}
	pids, err := c.cgroup().Pids()
	if err != nil || len(pids) == 0 {
		return nil
	}
	return c.signalAll(unix.SIGKILL)
}
