package specconv

import (
	"maps"
	"slices"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/opencontainers/runtime-spec/specs-go/features"

	"github.com/ocirun/ocirun/seccomp"
)

// Features describes what this build of ocirun accepts in a config, for
// the `features` command (runtime-spec features.md). Per the spec, the
// LSM, seccomp and idmap entries say what is compiled in, not what the
// host has enabled. annotations are added to the result as they are.
func Features(annotations map[string]string) *features.Features {
	yes, no := true, false
	return &features.Features{
		OCIVersionMin: "1.0.0",
		OCIVersionMax: specs.Version,
		Hooks:         []string{"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"},
		MountOptions:  mountOptionNames(),
		Linux: &features.Linux{
			Namespaces:   []string{"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"},
			Capabilities: slices.Sorted(maps.Keys(knownCapabilities)),
			Cgroup: &features.Cgroup{
				V1: &yes, V2: &yes, Systemd: &no, SystemdUser: &no, Rdma: &yes,
			},
			Seccomp:         seccomp.Features(),
			Apparmor:        &features.Apparmor{Enabled: &yes},
			Selinux:         &features.Selinux{Enabled: &yes},
			IntelRdt:        &features.IntelRdt{Enabled: &no},
			MountExtensions: &features.MountExtensions{IDMap: &features.IDMap{Enabled: &yes}},
			NetDevices:      &features.NetDevices{Enabled: &yes},
		},
		Annotations: annotations,
	}
}

// mountOptionNames lists every mount option ocirun interprets itself
// (others are passed to the filesystem as data).
func mountOptionNames() []string {
	names := slices.Collect(maps.Keys(mountFlags))
	names = slices.AppendSeq(names, maps.Keys(propagationFlags))
	names = slices.AppendSeq(names, maps.Keys(recAttrs))
	slices.Sort(names)
	return names
}
