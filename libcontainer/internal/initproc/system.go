package initproc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/internal/system"
)

func setHostnames(hostname, domainname string) error {
	if hostname != "" {
		if err := unix.Sethostname([]byte(hostname)); err != nil {
			return fmt.Errorf("hostname: %w", err)
		}
	}
	if domainname != "" {
		if err := unix.Setdomainname([]byte(domainname)); err != nil {
			return fmt.Errorf("domainname: %w", err)
		}
	}
	return nil
}

// writeSysctls writes linux.sysctl (the converter has checked every key
// belongs to a namespace the container owns). The files are opened on a
// private, verified procfs, not through the container's /proc, where a
// config mount could sit over /proc/sys/... and redirect the write
// (CVE-2025-52881).
func writeSysctls(sysctl map[string]string) error {
	for key, value := range sysctl {
		path := "sys/" + strings.ReplaceAll(key, ".", "/")
		if err := system.WriteProcRoot(path, []byte(value)); err != nil {
			return fmt.Errorf("linux.sysctl %q: %w", key, err)
		}
	}
	return nil
}

// joinSessionKeyring gives the container a session keyring of its own, so
// it cannot see the host's keys.
func joinSessionKeyring(id string) error {
	_, err := unix.KeyctlJoinSessionKeyring("_ses." + id)
	if err != nil && !errors.Is(err, unix.ENOSYS) {
		return fmt.Errorf("join session keyring: %w", err)
	}
	return nil
}

// setOomScoreAdj writes process.oomScoreAdj through a verified procfs
// handle (an exec'd process runs in the container's mount namespace, whose
// /proc the container controls).
func setOomScoreAdj(adj *int) error {
	if adj == nil {
		return nil
	}
	if err := system.WriteProcSelf("oom_score_adj", []byte(strconv.Itoa(*adj))); err != nil {
		return fmt.Errorf("process.oomScoreAdj: %w", err)
	}
	return nil
}

// enterCwd makes cwd the working directory and checks that it is inside
// the container's root. A cwd such as /proc/self/fd/N resolves through an
// fd the init still holds; if that fd is a host directory the program
// would start outside the rootfs, reaching the host through ".."
// (CVE-2024-21626). The kernel reports a directory that cannot be reached
// from the current root as "(unreachable)/...", which Getwd refuses.
func enterCwd(cwd string) error {
	if err := unix.Chdir(cwd); err != nil {
		return fmt.Errorf("process.cwd: chdir %s: %w", cwd, err)
	}
	wd, err := unix.Getwd()
	if err != nil || !strings.HasPrefix(wd, "/") {
		return fmt.Errorf("process.cwd: %s is outside the container's root filesystem: %w", cwd, errOutsideRoot(err))
	}
	return nil
}

func errOutsideRoot(err error) error {
	if err == nil {
		return unix.ENOENT
	}
	return err
}

// bringLoopbackUp sets lo up in a new network namespace, as runc and crun
// do: the kernel creates it down, and programs expect 127.0.0.1 to work.
func bringLoopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("bring lo up: %w", err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return fmt.Errorf("bring lo up: %w", err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("bring lo up: read flags: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("bring lo up: %w", err)
	}
	return nil
}
