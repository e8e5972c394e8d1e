// Package user switches the container's init to the container process's
// identity (uid, gids, umask) and looks up facts about it in the container's
// /etc/passwd. It runs inside the container after pivot_root, on the locked
// OS thread that will exec the user program.
package user

import (
	"bytes"
	"fmt"
	"os"

	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// defaultUmask is what runc leaves the process with when process.user.umask
// is unset.
const defaultUmask = 0o022

const setgroupsPath = "/proc/self/setgroups"

// SetupUser makes the calling thread run as u. PR_SET_KEEPCAPS keeps the
// permitted capabilities across the uid change, so caps.Apply can set the
// final sets afterwards. The uid/gid calls are raw per-thread syscalls:
// the thread that execs carries the identity into the new program.
func SetupUser(u configs.User) error {
	if err := unix.Prctl(unix.PR_SET_KEEPCAPS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_KEEPCAPS, 1): %w", err)
	}
	if err := setGroups(u.AdditionalGids); err != nil {
		return err
	}
	if err := setresgid(u.GID); err != nil {
		return fmt.Errorf("process.user.gid: setresgid(%d): %w", u.GID, err)
	}
	if err := setresuid(u.UID); err != nil {
		return fmt.Errorf("process.user.uid: setresuid(%d): %w", u.UID, err)
	}
	if err := unix.Prctl(unix.PR_SET_KEEPCAPS, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_KEEPCAPS, 0): %w", err)
	}
	unix.Umask(umaskFor(u))
	return nil
}

// Umask is the umask the process runs with: process.user.umask, or runc's
// default.
func Umask(u configs.User) uint32 { return uint32(umaskFor(u)) }

func umaskFor(u configs.User) int {
	if u.Umask == nil {
		return defaultUmask
	}
	return int(*u.Umask)
}

// setGroups replaces the supplementary groups with gids; an empty list
// still runs so root's own groups do not leak into the container. In a user
// namespace whose setgroups file says "deny" the call would fail with EPERM,
// so it is skipped there.
func setGroups(gids []uint32) error {
	if setgroupsDenied() {
		if len(gids) > 0 {
			logrus.Warnf("process.user.additionalGids: %v ignored: %s is \"deny\"", gids, setgroupsPath)
		}
		return nil
	}
	list := make([]int, len(gids))
	for i, g := range gids {
		list[i] = int(g)
	}
	if err := unix.Setgroups(list); err != nil {
		return fmt.Errorf("process.user.additionalGids: setgroups(%v): %w", gids, err)
	}
	return nil
}

// setgroupsDenied reports whether /proc/self/setgroups says "deny". A
// missing file (old kernel, no user namespace support) means allowed.
func setgroupsDenied() bool {
	data, err := os.ReadFile(setgroupsPath)
	if err != nil {
		return false
	}
	return string(bytes.TrimSpace(data)) == "deny"
}
