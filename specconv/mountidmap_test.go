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

func TestCheckIDMappedMountsUserns(t *testing.T) {
	idmapped := &configs.Mount{UIDMappings: []configs.IDMap{{Size: 1}}}
	withUserns := &configs.Config{
		Namespaces: []configs.Namespace{{Type: configs.NEWUSER}},
		Mounts:     []*configs.Mount{{}, idmapped},
	}
	wantErrContaining(t, checkIDMappedMounts(withUserns), "mounts[1].uidMappings", "user namespace")
	withoutUserns := &configs.Config{Mounts: []*configs.Mount{idmapped}}
	if err := checkIDMappedMounts(withoutUserns); err != nil {
		t.Errorf("without a user namespace: %v", err)
	}
}
