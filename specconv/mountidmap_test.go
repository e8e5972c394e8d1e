package specconv

import (
	"reflect"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

var (
	testUIDMap = []specs.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 65536}}
	testGIDMap = []specs.LinuxIDMapping{{ContainerID: 0, HostID: 200000, Size: 1000}}
)

func idmappedBind(options ...string) specs.Mount {
	return specs.Mount{Destination: "/a", Type: "bind", Source: "/src", Options: options,
		UIDMappings: testUIDMap, GIDMappings: testGIDMap}
}

func TestConvertMountIDMapped(t *testing.T) {
	tests := []struct {
		name          string
		options       []string
		wantRecursive bool
	}{
		{"mappings alone mean idmap", []string{"rbind"}, false},
		{"idmap", []string{"rbind", "idmap"}, false},
		{"ridmap", []string{"rbind", "ridmap"}, true},
		{"later option wins", []string{"ridmap", "idmap"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := convertMount(idmappedBind(tc.options...), "/bundle")
			if err != nil {
				t.Fatal(err)
			}
			wantUIDs := []configs.IDMap{{ContainerID: 0, HostID: 100000, Size: 65536}}
			wantGIDs := []configs.IDMap{{ContainerID: 0, HostID: 200000, Size: 1000}}
			if !reflect.DeepEqual(m.UIDMappings, wantUIDs) || !reflect.DeepEqual(m.GIDMappings, wantGIDs) {
				t.Errorf("mappings = %+v / %+v, want %+v / %+v", m.UIDMappings, m.GIDMappings, wantUIDs, wantGIDs)
			}
			if m.IDMapRecursive != tc.wantRecursive {
				t.Errorf("IDMapRecursive = %v, want %v", m.IDMapRecursive, tc.wantRecursive)
			}
			if m.Data != "" {
				t.Errorf("Data = %q: idmap options must not reach the kernel as data", m.Data)
			}
		})
	}
}

func TestConvertMountNotIDMapped(t *testing.T) {
	m, err := convertMount(specs.Mount{Destination: "/a", Type: "bind", Source: "/src"}, "/bundle")
	if err != nil {
		t.Fatal(err)
	}
	if m.IsIDMapped() || m.IDMapRecursive {
		t.Errorf("plain bind converted as idmapped: %+v", m)
	}
}

func TestConvertMountIDMapErrors(t *testing.T) {
	tests := []struct {
		name  string
		mount specs.Mount
		want  string
	}{
		{"not a bind", specs.Mount{Destination: "/a", Type: "tmpfs", Source: "tmpfs",
			UIDMappings: testUIDMap, GIDMappings: testGIDMap}, "uidMappings: only bind mounts can be idmapped"},
		{"option on a non-bind", specs.Mount{Destination: "/a", Type: "tmpfs", Source: "tmpfs",
			Options: []string{"idmap"}}, "options: idmap and ridmap need a bind mount"},
		{"option without mappings", specs.Mount{Destination: "/a", Type: "bind", Source: "/src",
			Options: []string{"ridmap"}}, "options: idmap and ridmap need uidMappings and gidMappings"},
		{"uid only", specs.Mount{Destination: "/a", Type: "bind", Source: "/src",
			UIDMappings: testUIDMap}, "gidMappings: required with uidMappings"},
		{"gid only", specs.Mount{Destination: "/a", Type: "bind", Source: "/src",
			GIDMappings: testGIDMap}, "uidMappings: required with gidMappings"},
		{"zero size", specs.Mount{Destination: "/a", Type: "bind", Source: "/src",
			UIDMappings: testUIDMap, GIDMappings: []specs.LinuxIDMapping{{Size: 0}}}, "gidMappings[0].size"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := convertMount(tc.mount, "/bundle")
			wantErrContaining(t, err, tc.want)
		})
	}
}

func TestWithContainerIDMap(t *testing.T) {
	spec := &specs.Spec{Linux: &specs.Linux{UIDMappings: testUIDMap, GIDMappings: testUIDMap}}
	idmap := specs.Mount{Destination: "/a", Type: "bind", Source: "/src", Options: []string{"rbind", "idmap"}}
	got := withContainerIDMap(idmap, spec)
	if !reflect.DeepEqual(got.UIDMappings, testUIDMap) || !reflect.DeepEqual(got.GIDMappings, testUIDMap) {
		t.Errorf("idmap without mappings: got %+v, want the container's mappings", got)
	}
	own := idmap
	own.UIDMappings = []specs.LinuxIDMapping{{ContainerID: 0, HostID: 5000, Size: 10}}
	own.GIDMappings = own.UIDMappings
	if got := withContainerIDMap(own, spec); !reflect.DeepEqual(got.UIDMappings, own.UIDMappings) {
		t.Errorf("a mount's own mappings were replaced: %+v", got.UIDMappings)
	}
	plain := specs.Mount{Destination: "/b", Type: "bind", Source: "/src", Options: []string{"rbind"}}
	if got := withContainerIDMap(plain, spec); len(got.UIDMappings) != 0 {
		t.Errorf("a mount without idmap got mappings: %+v", got.UIDMappings)
	}
	if _, err := convertMount(withContainerIDMap(idmap, &specs.Spec{Linux: &specs.Linux{}}), "/bundle"); err == nil {
		t.Error("idmap without mappings and without a user namespace was accepted")
	}
}
