package rootfs

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// lockableFlags are the per-mount flags the kernel locks on mounts a user
// namespace inherited from a more privileged one: a remount that would drop
// one of them fails with EPERM.
const lockableFlags = unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC | atimeFlags

// atimeFlags select the access-time mode; requesting one replaces the
// mount's current mode, so the current ones must not be carried over then.
const atimeFlags = unix.MS_NOATIME | unix.MS_NODIRATIME | unix.MS_RELATIME | unix.MS_STRICTATIME

// propagationFlags are applied separately and never belong in a remount.
const propagationFlags = unix.MS_SHARED | unix.MS_SLAVE | unix.MS_PRIVATE | unix.MS_UNBINDABLE

// statfsToMountFlags maps statfs(2) f_flags (ST_*) to the MS_* flags.
func statfsToMountFlags(stFlags int64) int {
	pairs := []struct{ st, ms int }{
		{unix.ST_RDONLY, unix.MS_RDONLY},
		{unix.ST_NOSUID, unix.MS_NOSUID},
		{unix.ST_NODEV, unix.MS_NODEV},
		{unix.ST_NOEXEC, unix.MS_NOEXEC},
		{unix.ST_NOATIME, unix.MS_NOATIME},
		{unix.ST_NODIRATIME, unix.MS_NODIRATIME},
		{unix.ST_RELATIME, unix.MS_RELATIME},
	}
	flags := 0
	for _, p := range pairs {
		if stFlags&int64(p.st) != 0 {
			flags |= p.ms
		}
	}
	return flags
}

// needsBindRemount reports whether a bind mount's flags ask for more than
// the bind itself; those only take effect through a second, remount call.
func needsBindRemount(flags int) bool {
	return flags&^(unix.MS_BIND|unix.MS_REC|unix.MS_REMOUNT|propagationFlags) != 0
}

// withLockedFlags adds the current flags the kernel may have locked to a
// remount request. It fails when the caller explicitly cleared one of them
// (e.g. "rw" on a read-only source): keeping it would silently disobey.
func withLockedFlags(requested, current, cleared int) (int, error) {
	locked := current & lockableFlags
	if conflict := locked & cleared &^ atimeFlags; conflict != 0 {
		return 0, fmt.Errorf("flags %#x are locked on the source mount and cannot be cleared", conflict)
	}
	if requested&atimeFlags != 0 {
		locked &^= atimeFlags
	}
	return requested | locked, nil
}

// remount changes the flags of the mount at target (a /proc/self/fd path
// of the mount's root). When the kernel refuses with EPERM because some
// flags are locked, it retries keeping the mount's current lockable flags.
func remount(target string, flags, cleared int) error {
	flags &^= propagationFlags
	err := unix.Mount("", target, "", uintptr(flags|unix.MS_REMOUNT), "")
	if !errors.Is(err, unix.EPERM) {
		return wrapRemount(err)
	}
	var st unix.Statfs_t
	if serr := unix.Statfs(target, &st); serr != nil {
		return fmt.Errorf("remount: %w (statfs for locked flags: %w)", err, serr)
	}
	retry, lerr := withLockedFlags(flags, statfsToMountFlags(st.Flags), cleared)
	if lerr != nil {
		return fmt.Errorf("remount: %w (%w)", err, lerr)
	}
	return wrapRemount(unix.Mount("", target, "", uintptr(retry|unix.MS_REMOUNT), ""))
}

func wrapRemount(err error) error {
	if err != nil {
		return fmt.Errorf("remount: %w", err)
	}
	return nil
}
