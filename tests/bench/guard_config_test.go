package main

import (
	"strings"
	"testing"

	"github.com/ocirun/ocirun/specconv"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func TestCheckConfigAcceptsOcirunSpec(t *testing.T) {
	if err := checkConfig(specconv.Example()); err != nil {
		t.Fatalf("`ocirun spec`'s config refused: %v", err)
	}
}

func TestCheckConfigRefusesDisabledProtections(t *testing.T) {
	cases := []struct {
		field  string
		weaken func(s *specs.Spec)
	}{
		{"root.readonly", func(s *specs.Spec) { s.Root.Readonly = false }},
		{"process.noNewPrivileges", func(s *specs.Spec) { s.Process.NoNewPrivileges = false }},
		{"process.capabilities.bounding", func(s *specs.Spec) {
			s.Process.Capabilities.Bounding = append(s.Process.Capabilities.Bounding, "CAP_SYS_ADMIN")
		}},
		{"process.capabilities:", func(s *specs.Spec) { s.Process.Capabilities = nil }},
		{"linux.namespaces", func(s *specs.Spec) {
			s.Linux.Namespaces = removeNamespace(s.Linux.Namespaces, specs.NetworkNamespace)
		}},
		{"linux.namespaces[0].path", func(s *specs.Spec) { s.Linux.Namespaces[0].Path = "/proc/1/ns/pid" }},
		{"linux.maskedPaths", func(s *specs.Spec) { s.Linux.MaskedPaths = s.Linux.MaskedPaths[1:] }},
		{"linux.readonlyPaths", func(s *specs.Spec) { s.Linux.ReadonlyPaths = nil }},
		{"linux.resources.devices[0]", func(s *specs.Spec) { s.Linux.Resources.Devices[0].Allow = true }},
		{"linux.resources.devices:", func(s *specs.Spec) { s.Linux.Resources.Devices = nil }},
		{"options: /sys must be read-only", func(s *specs.Spec) {
			for i := range s.Mounts {
				if s.Mounts[i].Destination == "/sys" {
					s.Mounts[i].Options = []string{"nosuid", "noexec", "nodev"}
				}
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			s := specconv.Example()
			c.weaken(s)
			err := checkConfig(s)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.field) {
				t.Errorf("error %q does not name %s", err, c.field)
			}
		})
	}
}

func removeNamespace(nss []specs.LinuxNamespace, typ specs.LinuxNamespaceType) []specs.LinuxNamespace {
	var out []specs.LinuxNamespace
	for _, ns := range nss {
		if ns.Type != typ {
			out = append(out, ns)
		}
	}
	return out
}
