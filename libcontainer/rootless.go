package libcontainer

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/cgroups"
	"github.com/ocirun/ocirun/libcontainer/configs"
)

// RootlessAuto is what `--rootless auto` means: ocirun runs unprivileged.
func RootlessAuto() bool { return os.Geteuid() != 0 }

// applyCgroup places pid in cg. In rootless mode a hierarchy the caller may
// not write (the usual case, unless a cgroup v2 subtree was delegated to
// it) means running without cgroups, as runc does; the manager returned
// is then an empty one that every later operation treats as a no-op.
func applyCgroup(cg cgroups.Manager, pid int, rootless bool) (cgroups.Manager, error) {
	err := cg.Apply(pid)
	if err == nil || !rootless || !isPermissionError(err) {
		return cg, err
	}
	logrus.Debugf("rootless: running without cgroups: %v", err)
	if derr := cg.Destroy(); derr != nil {
		logrus.Debugf("rootless: remove partly created cgroups: %v", derr)
	}
	return cgroups.Load(cgroups.State{Version: cg.State().Version}), nil
}

// cgroupMounts lists what the container's cgroup mount shows: its own
// cgroups, or, without any (rootless), the ones it was started in.
func cgroupMounts(st cgroups.State) ([]configs.CgroupMount, error) {
	paths := st.Paths
	if len(paths) == 0 {
		own, err := cgroups.OwnPaths()
		if err != nil {
			return nil, err
		}
		paths = own
	}
	return cgroups.Mounts(paths)
}

func isPermissionError(err error) bool {
	return errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) || errors.Is(err, unix.EROFS)
}

// setResources writes the limits r. A rootless container leaves device
// rules out, as runc does: an unprivileged user can neither load the v2
// eBPF filter nor write a v1 devices cgroup, and its user namespace
// already keeps the container from creating device nodes. Without a
// cgroup at all (rootless without a delegated hierarchy) the other limits
// are refused, since they would silently not apply.
func setResources(cg cgroups.Manager, r *specs.LinuxResources, rootless bool) error {
	if r != nil && rootless {
		rest := *r
		rest.Devices = nil
		r = &rest
	}
	if len(cg.State().Paths) > 0 {
		return cg.Set(r)
	}
	if r == nil || isZero(*r) { // isZero ignores the device rules
		return nil
	}
	return fmt.Errorf("linux.resources: cannot apply limits: this user may not write to the cgroup hierarchy (rootless); remove the limits or delegate a cgroup v2 subtree")
}

func isZero(r specs.LinuxResources) bool {
	return r.Memory == nil && r.CPU == nil && r.Pids == nil && r.BlockIO == nil &&
		len(r.HugepageLimits) == 0 && r.Network == nil && len(r.Rdma) == 0 && len(r.Unified) == 0
}

// hasCgroup is false for a rootless container running without cgroups.
func (c *Container) hasCgroup() bool { return len(c.state.Cgroup.Paths) > 0 }

func (c *Container) errNoCgroup(op string) error {
	return fmt.Errorf("container %q has no cgroup (rootless, no writable cgroup): cannot %s it", c.state.ID, op)
}

// pidsInNamespace lists the processes of the init's pid namespace (the
// init alone when it shares ours): how a container without a cgroup
// finds its processes.
func pidsInNamespace(initPid int) ([]int, error) {
	target, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/pid", initPid))
	if err != nil {
		return nil, fmt.Errorf("list pids: %w", err)
	}
	if own, _ := os.Readlink("/proc/self/ns/pid"); own == target {
		return []int{initPid}, nil
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("list pids: %w", err)
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ns, err := os.Readlink("/proc/" + e.Name() + "/ns/pid"); err == nil && ns == target {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}
