package specconv

import (
	"errors"

	"github.com/opencontainers/selinux/go-selinux"
)

// selinuxEnabled is a variable so tests can pretend either way.
var selinuxEnabled = selinux.GetEnabled

// checkSELinuxLabel refuses a process label on a host without SELinux, as
// runc does ("selinux label is specified in config, but selinux is disabled
// or not supported"): the process would otherwise run unconfined. A
// linux.mountLabel alone is ignored there (see rootfs), since it confines
// nothing by itself.
func checkSELinuxLabel(label string) error {
	if label == "" || selinuxEnabled() {
		return nil
	}
	return errors.New("process.selinuxLabel: SELinux is disabled or not supported on this host")
}
