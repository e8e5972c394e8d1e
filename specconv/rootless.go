package specconv

import (
	"os"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// ToRootless adapts an example spec for an unprivileged user, like
// `runc spec --rootless`: the container gets a user namespace mapping the
// caller to root, and drops what an unprivileged user cannot set up.
func ToRootless(spec *specs.Spec) {
	if spec.Linux == nil {
		spec.Linux = &specs.Linux{}
	}
	spec.Linux.Namespaces = rootlessNamespaces(spec.Linux.Namespaces)
	spec.Linux.UIDMappings = []specs.LinuxIDMapping{{ContainerID: 0, HostID: uint32(os.Geteuid()), Size: 1}}
	spec.Linux.GIDMappings = []specs.LinuxIDMapping{{ContainerID: 0, HostID: uint32(os.Getegid()), Size: 1}}
	// Unprivileged users usually cannot write cgroup limits.
	spec.Linux.Resources = nil
	for i := range spec.Mounts {
		spec.Mounts[i] = rootlessMount(spec.Mounts[i])
	}
}

// rootlessNamespaces drops the network namespace (it would have no
// connectivity without a privileged helper) and the cgroup namespace, and
// adds a user namespace.
func rootlessNamespaces(namespaces []specs.LinuxNamespace) []specs.LinuxNamespace {
	var out []specs.LinuxNamespace
	for _, ns := range namespaces {
		switch ns.Type {
		case specs.NetworkNamespace, specs.CgroupNamespace, specs.UserNamespace:
			continue
		}
		out = append(out, ns)
	}
	return append(out, specs.LinuxNamespace{Type: specs.UserNamespace})
}

// rootlessMount rewrites mounts an unprivileged user cannot make: sysfs
// needs a network namespace of one's own, so /sys becomes a read-only rbind
// of the host's; and gid=5 may not be mapped, which devpts would reject.
func rootlessMount(m specs.Mount) specs.Mount {
	switch {
	case m.Destination == "/sys":
		return specs.Mount{
			Destination: "/sys",
			Type:        "none",
			Source:      "/sys",
			Options:     []string{"rbind", "nosuid", "noexec", "nodev", "ro"},
		}
	case m.Type == "devpts":
		var opts []string
		for _, o := range m.Options {
			if o != "gid=5" {
				opts = append(opts, o)
			}
		}
		m.Options = opts
	}
	return m
}
