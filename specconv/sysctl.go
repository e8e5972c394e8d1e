package specconv

import (
	"fmt"
	"sort"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// ipcSysctls are the kernel.* sysctls that live in the IPC namespace.
var ipcSysctls = map[string]bool{"kernel.sem": true}

var ipcSysctlPrefixes = []string{"kernel.msg", "kernel.shm", "fs.mqueue."}

// utsSysctls live in the UTS namespace.
var utsSysctls = map[string]bool{"kernel.hostname": true, "kernel.domainname": true}

// convertSysctl only allows sysctls that are namespaced and whose namespace
// the container has: writing any other key would change the host.
func convertSysctl(spec *specs.Spec, _ string, config *configs.Config) error {
	if len(spec.Linux.Sysctl) == 0 {
		return nil
	}
	keys := make([]string, 0, len(spec.Linux.Sysctl))
	for key := range spec.Linux.Sysctl {
		keys = append(keys, key)
	}
	sort.Strings(keys) // report the same error on every run
	for _, key := range keys {
		if err := checkSysctl(key, config); err != nil {
			return fmt.Errorf("linux.sysctl: %w", err)
		}
	}
	config.Sysctl = copyStringMap(spec.Linux.Sysctl)
	return nil
}

func checkSysctl(key string, config *configs.Config) error {
	// The key becomes a path below /proc/sys.
	if key == "" || strings.Contains(key, "/") || strings.Contains(key, "..") {
		return fmt.Errorf("%q is not a valid sysctl name", key)
	}
	needed, ok := sysctlNamespace(key)
	if !ok {
		return fmt.Errorf("%q is not namespaced", key)
	}
	if !hasNamespace(config, needed) {
		return fmt.Errorf("%q requires linux.namespaces to include %q", key, needed)
	}
	return nil
}

// sysctlNamespace returns the namespace that key belongs to.
func sysctlNamespace(key string) (configs.NamespaceType, bool) {
	if ipcSysctls[key] {
		return configs.NEWIPC, true
	}
	for _, prefix := range ipcSysctlPrefixes {
		if strings.HasPrefix(key, prefix) {
			return configs.NEWIPC, true
		}
	}
	if strings.HasPrefix(key, "net.") {
		return configs.NEWNET, true
	}
	if utsSysctls[key] {
		return configs.NEWUTS, true
	}
	// user.max_*_namespaces are limits of the user namespace.
	if strings.HasPrefix(key, "user.") {
		return configs.NEWUSER, true
	}
	return "", false
}
