package specconv

import (
	"os"
	"path/filepath"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func TestConvertExample(t *testing.T) {
	bundle := newBundle(t)
	config, process, err := Convert(Example(), Options{ID: "x", Bundle: bundle, NoPivotRoot: true, NoNewKeyring: true})
	if err != nil {
		t.Fatalf("Convert(Example()): %v", err)
	}
	wantRoot, _ := filepath.EvalSymlinks(filepath.Join(bundle, "rootfs"))
	if config.Rootfs != wantRoot || !config.Readonlyfs {
		t.Errorf("rootfs = %q readonly=%v, want %q readonly", config.Rootfs, config.Readonlyfs, wantRoot)
	}
	if !config.NoPivotRoot || !config.NoNewKeyring {
		t.Error("NoPivotRoot/NoNewKeyring not copied")
	}
	if config.Hostname != "ocirun" || config.OCIVersion != specs.Version {
		t.Errorf("hostname %q version %q", config.Hostname, config.OCIVersion)
	}
	if len(config.Mounts) != 7 || len(config.Namespaces) != 6 || len(config.MaskPaths) != 10 || len(config.ReadonlyPaths) != 5 {
		t.Errorf("mounts %d namespaces %d masked %d readonly %d", len(config.Mounts), len(config.Namespaces), len(config.MaskPaths), len(config.ReadonlyPaths))
	}
	if config.Cgroups == nil || config.Cgroups.Resources == nil || len(config.Cgroups.Resources.Devices) != 13 {
		t.Errorf("cgroups not copied: %+v", config.Cgroups)
	}
	if len(config.Devices) != len(defaultDevices) {
		t.Errorf("got %d devices, want the %d defaults", len(config.Devices), len(defaultDevices))
	}
	if process.Args[0] != "sh" || !process.Terminal || !process.NoNewPrivileges || process.Cwd != "/" {
		t.Errorf("process = %+v", process)
	}
	if len(process.Rlimits) != 1 || process.Rlimits[0].Type != unix.RLIMIT_NOFILE || process.Rlimits[0].Soft != 1024 {
		t.Errorf("rlimits = %+v", process.Rlimits)
	}
	if len(process.Capabilities.Bounding) != 3 {
		t.Errorf("capabilities = %+v", process.Capabilities)
	}
}

func TestConvertRootfsSymlinkAndRelative(t *testing.T) {
	bundle := newBundle(t)
	if err := os.Symlink("rootfs", filepath.Join(bundle, "link")); err != nil {
		t.Fatal(err)
	}
	spec := Example()
	spec.Root.Path = "link"
	config, _, err := Convert(spec, Options{Bundle: bundle})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.EvalSymlinks(filepath.Join(bundle, "rootfs"))
	if config.Rootfs != want {
		t.Errorf("Rootfs = %q, want %q", config.Rootfs, want)
	}
}

func TestConvertCopiesSimpleFields(t *testing.T) {
	spec := Example()
	spec.Annotations = map[string]string{"a": "b"}
	spec.Hooks = &specs.Hooks{Poststop: []specs.Hook{{Path: "/bin/true"}}}
	spec.Linux.CgroupsPath = "/ocirun-test/x"
	spec.Linux.RootfsPropagation = "rslave"
	spec.Process.OOMScoreAdj = intPtr(-500)
	spec.Process.User = specs.User{UID: 1, GID: 2, AdditionalGids: []uint32{3}, Umask: uint32Ptr(0o22)}
	config, process, err := Convert(spec, Options{Bundle: newBundle(t)})
	if err != nil {
		t.Fatal(err)
	}
	if config.Annotations["a"] != "b" || config.Hooks == nil || config.Cgroups.Path != "/ocirun-test/x" {
		t.Errorf("config = %+v", config)
	}
	if config.RootPropagation != unix.MS_SLAVE|unix.MS_REC {
		t.Errorf("RootPropagation = %#x", config.RootPropagation)
	}
	u := process.User
	if *process.OomScoreAdj != -500 || u.UID != 1 || u.GID != 2 || u.AdditionalGids[0] != 3 || *u.Umask != 0o22 {
		t.Errorf("process = %+v", process)
	}
}

func TestConvertUnknownCapabilityDropped(t *testing.T) {
	spec := Example()
	spec.Process.Capabilities.Bounding = append(spec.Process.Capabilities.Bounding, "CAP_FUTURE")
	_, process, err := Convert(spec, Options{Bundle: newBundle(t)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range process.Capabilities.Bounding {
		if c == "CAP_FUTURE" {
			t.Error("unknown capability was kept")
		}
	}
	if len(process.Capabilities.Bounding) != 3 {
		t.Errorf("bounding = %v", process.Capabilities.Bounding)
	}
}

func TestConvertUserNamespace(t *testing.T) {
	spec := Example()
	ToRootless(spec)
	config, _, err := Convert(spec, Options{Bundle: newBundle(t)})
	if err != nil {
		t.Fatal(err)
	}
	want := configs.IDMap{ContainerID: 0, HostID: uint32(os.Geteuid()), Size: 1}
	if len(config.UIDMappings) != 1 || config.UIDMappings[0] != want {
		t.Errorf("UIDMappings = %+v", config.UIDMappings)
	}
}

func TestConvertSysctlAllowed(t *testing.T) {
	spec := Example()
	spec.Linux.Sysctl = map[string]string{
		"net.ipv4.ip_forward": "1", "kernel.shmmax": "1", "fs.mqueue.msg_max": "10", "kernel.sem": "1 2 3 4",
	}
	config, _, err := Convert(spec, Options{Bundle: newBundle(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(config.Sysctl) != 4 {
		t.Errorf("Sysctl = %v", config.Sysctl)
	}
}

func TestConvertRequiresAbsoluteBundle(t *testing.T) {
	_, _, err := Convert(Example(), Options{Bundle: "relative"})
	wantErrContaining(t, err, "bundle")
	_, _, err = Convert(nil, Options{Bundle: "/"})
	wantErrContaining(t, err, "config.json")
}
