package rootfs

import (
	"fmt"

	"github.com/opencontainers/selinux/go-selinux"
	"github.com/opencontainers/selinux/go-selinux/label"
)

// selinuxEnabled is a variable so tests can pretend either way.
var selinuxEnabled = selinux.GetEnabled

// labeledData adds linux.mountLabel as a "context=" option to the data of
// the filesystems that accept one (tmpfs, devpts, overlay...). Without
// SELinux the label is ignored: the option would make the mount fail, and
// there is nothing it could confine.
func labeledData(device, data, mountLabel string) string {
	if mountLabel == "" || !takesContextOption(device) || !selinuxEnabled() {
		return data
	}
	return label.FormatMountLabel(data, mountLabel)
}

// takesContextOption: proc, sysfs and cgroup have fixed labels, binds keep
// their source's, and mqueue refuses the option (it is relabelled instead).
func takesContextOption(device string) bool {
	switch device {
	case "proc", "sysfs", "cgroup", "cgroup2", "mqueue", "bind":
		return false
	}
	return true
}

// labelMountRoot gives an mqueue mount the mount label on its root inode.
func labelMountRoot(t *target, device, mountLabel string) error {
	if device != "mqueue" || mountLabel == "" || !selinuxEnabled() {
		return nil
	}
	if err := selinux.SetFileLabel(t.path(), mountLabel); err != nil {
		return fmt.Errorf("linux.mountLabel: label %s: %w", t.name, err)
	}
	return nil
}
