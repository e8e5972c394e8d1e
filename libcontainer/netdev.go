package libcontainer

import (
	"fmt"
	"runtime"
	"sort"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/internal/netlink"
)

// linux.netDevices: host interfaces moved into the container's network
// namespace (renamed) before its process starts, and moved back under
// their host names when the container is deleted while its namespace is
// still alive (once it is gone, the kernel returns physical devices to the
// host by itself and destroys virtual ones such as veth).

// moveNetDevicesIn moves every configured host interface into the network
// namespace of the init (pid).
func moveNetDevicesIn(devs map[string]string, pid int) error {
	if len(devs) == 0 {
		return nil
	}
	s, err := netlink.Open()
	if err != nil {
		return fmt.Errorf("linux.netDevices: %w", err)
	}
	defer s.Close()
	for _, host := range sortedKeys(devs) {
		idx, err := s.LinkIndex(host)
		if err != nil {
			return fmt.Errorf("linux.netDevices: host %w", err)
		}
		if err := s.MoveToPid(idx, devs[host], pid); err != nil {
			return fmt.Errorf("linux.netDevices: move %q into the container as %q: %w", host, devs[host], err)
		}
	}
	return nil
}

// moveNetDevicesOut moves the interfaces back from the network namespace
// of the running init (pid) to ours, under their host names.
func moveNetDevicesOut(devs map[string]string, pid int) error {
	if len(devs) == 0 {
		return nil
	}
	host, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("linux.netDevices: open our network namespace: %w", err)
	}
	defer unix.Close(host)
	s, err := socketInNetns(pid, host)
	if err != nil {
		return fmt.Errorf("linux.netDevices: %w", err)
	}
	defer s.Close()
	for _, hostName := range sortedKeys(devs) {
		idx, err := s.LinkIndex(devs[hostName])
		if err != nil {
			return fmt.Errorf("linux.netDevices: container %w", err)
		}
		if err := s.MoveToFd(idx, hostName, host); err != nil {
			return fmt.Errorf("linux.netDevices: move %q back to the host as %q: %w", devs[hostName], hostName, err)
		}
	}
	return nil
}

// socketInNetns opens a netlink socket in pid's network namespace: the
// socket belongs to the namespace of the thread that creates it, so one
// locked thread enters it and comes back (to host, our namespace).
func socketInNetns(pid, host int) (*netlink.Socket, error) {
	target, err := unix.Open("/proc/"+strconv.Itoa(pid)+"/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open the container's network namespace: %w", err)
	}
	defer unix.Close(target)
	runtime.LockOSThread()
	if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return nil, fmt.Errorf("enter the container's network namespace: %w", err)
	}
	s, openErr := netlink.Open()
	if err := unix.Setns(host, unix.CLONE_NEWNET); err != nil {
		// Leave the thread locked: it ends with this goroutine instead
		// of serving others from the wrong namespace.
		if s != nil {
			s.Close()
		}
		return nil, fmt.Errorf("return to our network namespace: %w", err)
	}
	runtime.UnlockOSThread()
	return s, openErr
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
