package initproc

import (
	"errors"
	"fmt"
	"os"

	"github.com/opencontainers/selinux/go-selinux"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/system"
)

// attrWriter writes data to /proc/thread-self/<subpath> of the calling
// thread; a variable so tests can capture what would be written.
type attrWriter func(subpath string, data []byte) error

// writeThreadAttr goes through a verified procfs handle: a plain path could
// be redirected by a mount over /proc and the profile silently never
// applied (CVE-2019-16884, CVE-2025-52881).
var writeThreadAttr attrWriter = system.WriteProcThreadSelf

// setExecLabel is selinux.SetExecLabel, a variable for tests.
var setExecLabel = selinux.SetExecLabel

// applyLSM asks the kernel to confine the program with p's AppArmor profile
// and SELinux label. Both are "on exec" attributes: they only take effect at
// the program's execve, so nothing before it runs confined. They are set
// while the init still has all its capabilities and before no_new_privs,
// which would restrict the profile transitions allowed (as runc does). The
// converter already refused a label whose LSM the host lacks.
func applyLSM(p *configs.Process) error {
	if err := applyAppArmor(p.ApparmorProfile, writeThreadAttr); err != nil {
		return err
	}
	return applySELinux(p.SelinuxLabel)
}

// applyAppArmor writes "exec <profile>" to the thread's AppArmor exec
// attribute: attr/apparmor/exec on kernels with LSM stacking, attr/exec on
// older ones.
func applyAppArmor(profile string, write attrWriter) error {
	if profile == "" {
		return nil
	}
	data := []byte("exec " + profile)
	err := write("attr/apparmor/exec", data)
	if errors.Is(err, os.ErrNotExist) {
		err = write("attr/exec", data)
	}
	if err != nil {
		return fmt.Errorf("process.apparmorProfile: apply %q on exec: %w", profile, err)
	}
	return nil
}

// applySELinux sets the label the next execve gives the process.
func applySELinux(label string) error {
	if label == "" {
		return nil
	}
	if err := setExecLabel(label); err != nil {
		return fmt.Errorf("process.selinuxLabel: set %q for exec: %w", label, err)
	}
	return nil
}
