package libcontainer

import (
	"bytes"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/initproc"
)

// checkRlimits fails a create before anything is spawned, naming
// process.rlimits and the resource, when the container's init could not set
// one of p's limits: the init inherits the caller's limits, and raising a
// hard limit above them needs CAP_SYS_RESOURCE in the host's user
// namespace, which a rootless caller never has and a container with its
// own user namespace loses. RLIMIT_NOFILE is also capped by fs.nr_open for
// everyone. The init's setrlimit stays the backstop (initproc.setRlimits).
func checkRlimits(cfg *configs.Config, p *configs.Process) error {
	if p == nil || len(p.Rlimits) == 0 {
		return nil
	}
	var why string
	var nrOpen uint64
	checked := false
	for _, l := range p.Rlimits {
		var cur unix.Rlimit
		if err := unix.Getrlimit(l.Type, &cur); err != nil {
			continue // a number the kernel does not know: the init reports it
		}
		if l.Soft <= l.Hard && l.Hard <= cur.Max {
			continue // lowering, or raising the soft limit, always works
		}
		if !checked { // only now: every start has rlimits, few raise one
			why, checked = rlimitRaiseBlocker(cfg), true
			nrOpen, _ = initproc.NrOpen()
		}
		if err := rlimitExceeded(l, cur, nrOpen, why); err != nil {
			return err
		}
	}
	return nil
}

// rlimitExceeded is the error for a limit l that a process whose own limit
// is cur cannot set, or nil. why is empty when that process may raise hard
// limits (CAP_SYS_RESOURCE in the host's user namespace), otherwise the
// reason it may not; nrOpen is fs.nr_open (0: unknown).
func rlimitExceeded(l configs.Rlimit, cur unix.Rlimit, nrOpen uint64, why string) error {
	name := configs.RlimitName(l.Type)
	if l.Soft > l.Hard {
		return fmt.Errorf("process.rlimits: %s: soft limit %s is above the hard limit %s",
			name, initproc.FormatRlimit(l.Soft), initproc.FormatRlimit(l.Hard))
	}
	if l.Type == unix.RLIMIT_NOFILE && nrOpen > 0 && l.Hard > nrOpen {
		return fmt.Errorf("process.rlimits: %s: hard limit %s is above fs.nr_open %d",
			name, initproc.FormatRlimit(l.Hard), nrOpen)
	}
	if why != "" && l.Hard > cur.Max {
		return fmt.Errorf("process.rlimits: %s: hard limit %s is above the caller's hard limit %s "+
			"(%s: only CAP_SYS_RESOURCE in the host's user namespace may raise a hard limit)",
			name, initproc.FormatRlimit(l.Hard), initproc.FormatRlimit(cur.Max), why)
	}
	return nil
}

// rlimitRaiseBlocker says why the container's init will not be allowed to
// raise a hard limit, or "" when it will.
func rlimitRaiseBlocker(cfg *configs.Config) string {
	switch {
	case !hasEffectiveCap(unix.CAP_SYS_RESOURCE):
		if os.Geteuid() != 0 {
			return "rootless"
		}
		return "the caller lacks CAP_SYS_RESOURCE"
	case !inInitialUserNamespace():
		return "the caller runs in a user namespace"
	}
	if _, ok := cfg.Namespace(configs.NEWUSER); ok {
		return "the container has its own user namespace"
	}
	return ""
}

// hasEffectiveCap reports whether the calling thread holds capability c in
// its effective set (in its own user namespace).
func hasEffectiveCap(c int) bool {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return false
	}
	return data[c/32].Effective&(1<<(uint(c)%32)) != 0
}

// inInitialUserNamespace reports whether the caller runs in the host's user
// namespace, whose uid_map is the whole identity range.
func inInitialUserNamespace() bool {
	b, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return false
	}
	f := bytes.Fields(b)
	return len(f) == 3 && string(f[0]) == "0" && string(f[1]) == "0" && string(f[2]) == "4294967295"
}
