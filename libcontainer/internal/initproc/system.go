package initproc

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
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

// writeSysctls writes linux.sysctl through the container's /proc/sys (the
// converter has checked every key belongs to a namespace the container owns).
func writeSysctls(sysctl map[string]string) error {
	for key, value := range sysctl {
		path := "/proc/sys/" + strings.ReplaceAll(key, ".", "/")
		if err := os.WriteFile(path, []byte(value), 0); err != nil {
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

// setOomScoreAdj writes process.oomScoreAdj (through the host's /proc:
// called before pivot_root, or from a process that joined the container).
func setOomScoreAdj(adj *int) error {
	if adj == nil {
		return nil
	}
	if err := os.WriteFile("/proc/self/oom_score_adj", []byte(strconv.Itoa(*adj)), 0); err != nil {
		return fmt.Errorf("process.oomScoreAdj: %w", err)
	}
	return nil
}
