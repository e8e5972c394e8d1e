// Package nsenter links the C stage of `ocirun init` (nsenter.c) into the
// binary and builds its instructions. Importing it is enough: the C code
// runs as a constructor before the Go runtime and acts only in the init.
package nsenter

// #cgo CFLAGS: -Wall -O2
import "C"

import (
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// Environment variables read by nsenter.c.
const (
	EnvJoin    = "_OCIRUN_NS_JOIN"
	EnvUnshare = "_OCIRUN_NS_UNSHARE"
	EnvFork    = "_OCIRUN_NS_FORK"
	// EnvTimeOffsets holds the clock offsets of a new time namespace.
	EnvTimeOffsets = "_OCIRUN_TIME_OFFSETS"
)

// joinOrder is the order namespaces are joined in: user first, so the
// others are entered with the capabilities it grants; mount last.
var joinOrder = []configs.NamespaceType{
	configs.NEWUSER, configs.NEWIPC, configs.NEWUTS, configs.NEWNET,
	configs.NEWPID, configs.NEWCGROUP, configs.NEWTIME, configs.NEWNS,
}

// Plan says how the init gets its namespaces.
type Plan struct {
	// CloneFlags are new namespaces created by the parent's clone (fast path).
	CloneFlags uintptr
	// Env is the C stage's instructions (may be empty: nothing to do).
	Env []string
	// Forks is true when the C stage forks: the init's pid then arrives in
	// a child-pid message.
	Forks bool
	// UserNsInC is true when the C stage unshares the user namespace and
	// asks the parent for its id maps.
	UserNsInC bool
}

// MakePlan decides, for the namespaces of a config, what the parent's clone
// does and what the C stage does. The cgroup namespace is never created
// here: the init unshares it after it has been placed in its cgroups.
// mapLater means the id maps of a new user namespace can only be written
// once the process exists (by newuidmap): the C stage then creates it.
func MakePlan(nss []configs.Namespace, mapLater bool) Plan {
	var p Plan
	var joins []string
	var newFlags uintptr
	joinsUser, joinsPid := false, false
	for _, t := range joinOrder {
		for _, ns := range nss {
			if ns.Type != t {
				continue
			}
			if ns.Path != "" {
				joins = append(joins, string(t)+":"+ns.Path)
				joinsUser = joinsUser || t == configs.NEWUSER
				joinsPid = joinsPid || t == configs.NEWPID
			} else if t != configs.NEWCGROUP {
				flag, _ := t.CloneFlag()
				newFlags |= flag
			}
		}
	}
	// Time namespaces cannot be created by clone(2) (their flag clashes
	// with CSIGNAL); the C stage unshares them and exec enters them.
	cFlags := newFlags & unix.CLONE_NEWTIME
	newFlags &^= unix.CLONE_NEWTIME
	// Joins must happen before new namespaces are made (they are owned by
	// the joined user namespace, and a new user namespace would drop the
	// rights to join), so with joins the C stage does everything.
	newUser := newFlags&unix.CLONE_NEWUSER != 0
	if joinsUser || joinsPid || (newUser && (len(joins) > 0 || mapLater)) {
		cFlags |= newFlags
		newFlags = 0
	}
	p.CloneFlags = newFlags
	if len(joins) > 0 {
		p.Env = append(p.Env, EnvJoin+"="+strings.Join(joins, "\n"))
	}
	if cFlags != 0 {
		p.Env = append(p.Env, EnvUnshare+"="+strconv.FormatUint(uint64(cFlags), 10))
	}
	if cFlags&unix.CLONE_NEWPID != 0 || joinsPid {
		p.Env = append(p.Env, EnvFork+"=1")
		p.Forks = true
	}
	p.UserNsInC = cFlags&unix.CLONE_NEWUSER != 0
	return p
}
