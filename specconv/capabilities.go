package specconv

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/sirupsen/logrus"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// knownCapabilities are the capability names up to CAP_CHECKPOINT_RESTORE
// (40), the last one Linux defines.
var knownCapabilities = map[string]bool{}

func init() {
	for _, name := range []string{
		"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
		"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
		"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
		"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
		"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
		"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
		"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
		"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
		"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
		"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
		"CAP_CHECKPOINT_RESTORE",
	} {
		knownCapabilities[name] = true
	}
}

// convertCapabilities copies the capability sets. Unknown names are dropped
// with a warning, as runc does, so configs written for newer kernels still run.
func convertCapabilities(c *specs.LinuxCapabilities) *configs.Capabilities {
	if c == nil {
		return nil
	}
	return &configs.Capabilities{
		Bounding:    knownCapsOnly("bounding", c.Bounding),
		Effective:   knownCapsOnly("effective", c.Effective),
		Inheritable: knownCapsOnly("inheritable", c.Inheritable),
		Permitted:   knownCapsOnly("permitted", c.Permitted),
		Ambient:     knownCapsOnly("ambient", c.Ambient),
	}
}

func knownCapsOnly(set string, names []string) []string {
	var out []string
	for _, name := range names {
		if !knownCapabilities[name] {
			logrus.Warnf("process.capabilities.%s: ignoring unknown capability %q", set, name)
			continue
		}
		out = append(out, name)
	}
	return out
}
