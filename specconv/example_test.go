package specconv

import (
	"os"
	"reflect"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func TestExampleContent(t *testing.T) {
	spec := Example()
	if spec.Version != specs.Version || spec.Hostname != "ocirun" || !spec.Root.Readonly || spec.Root.Path != "rootfs" {
		t.Errorf("spec = %+v", spec)
	}
	caps := spec.Process.Capabilities
	want := []string{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"}
	if !reflect.DeepEqual(caps.Bounding, want) || !reflect.DeepEqual(caps.Effective, want) ||
		!reflect.DeepEqual(caps.Permitted, want) || caps.Ambient != nil || caps.Inheritable != nil {
		t.Errorf("capabilities = %+v", caps)
	}
	var types []specs.LinuxNamespaceType
	for _, ns := range spec.Linux.Namespaces {
		types = append(types, ns.Type)
	}
	wantNS := []specs.LinuxNamespaceType{"pid", "network", "ipc", "uts", "mount", "cgroup"}
	if !reflect.DeepEqual(types, wantNS) {
		t.Errorf("namespaces = %v", types)
	}
	// Each call must return a fresh spec: callers mutate it.
	spec.Mounts[0].Destination = "/changed"
	if Example().Mounts[0].Destination != "/proc" {
		t.Error("Example shares state between calls")
	}
}

func TestToRootless(t *testing.T) {
	spec := Example()
	ToRootless(spec)
	var types []specs.LinuxNamespaceType
	for _, ns := range spec.Linux.Namespaces {
		types = append(types, ns.Type)
	}
	wantNS := []specs.LinuxNamespaceType{"pid", "ipc", "uts", "mount", "user"}
	if !reflect.DeepEqual(types, wantNS) {
		t.Errorf("namespaces = %v, want %v", types, wantNS)
	}
	wantUID := []specs.LinuxIDMapping{{ContainerID: 0, HostID: uint32(os.Geteuid()), Size: 1}}
	wantGID := []specs.LinuxIDMapping{{ContainerID: 0, HostID: uint32(os.Getegid()), Size: 1}}
	if !reflect.DeepEqual(spec.Linux.UIDMappings, wantUID) || !reflect.DeepEqual(spec.Linux.GIDMappings, wantGID) {
		t.Errorf("mappings = %+v %+v", spec.Linux.UIDMappings, spec.Linux.GIDMappings)
	}
	if spec.Linux.Resources != nil {
		t.Error("resources not removed")
	}
	for _, m := range spec.Mounts {
		switch m.Destination {
		case "/sys":
			want := specs.Mount{Destination: "/sys", Type: "none", Source: "/sys", Options: []string{"rbind", "nosuid", "noexec", "nodev", "ro"}}
			if !reflect.DeepEqual(m, want) {
				t.Errorf("/sys = %+v", m)
			}
		case "/dev/pts":
			for _, o := range m.Options {
				if o == "gid=5" {
					t.Error("gid=5 kept on devpts")
				}
			}
		}
	}
}
