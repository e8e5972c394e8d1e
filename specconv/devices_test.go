package specconv

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func TestConvertDevicesDefaults(t *testing.T) {
	config := &configs.Config{}
	spec := &specs.Spec{Linux: &specs.Linux{}}
	if err := convertDevices(spec, "", config); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int64{
		"/dev/null": {1, 3}, "/dev/zero": {1, 5}, "/dev/full": {1, 7},
		"/dev/tty": {5, 0}, "/dev/urandom": {1, 9}, "/dev/random": {1, 8},
	}
	if len(config.Devices) != len(want) {
		t.Fatalf("got %d devices, want %d", len(config.Devices), len(want))
	}
	for _, d := range config.Devices {
		nums, ok := want[d.Path]
		if !ok || d.Type != 'c' || d.Major != nums[0] || d.Minor != nums[1] || d.FileMode != 0o666 || d.UID != 0 || d.GID != 0 {
			t.Errorf("unexpected default device %+v", d)
		}
	}
}

func TestConvertDevicesOverrideAndFields(t *testing.T) {
	config := &configs.Config{}
	spec := &specs.Spec{Linux: &specs.Linux{Devices: []specs.LinuxDevice{
		{Path: "/dev/null", Type: "c", Major: 1, Minor: 3, FileMode: fileModePtr(0o600), UID: uint32Ptr(7), GID: uint32Ptr(8)},
		{Path: "/dev/fuse", Type: "u", Major: 10, Minor: 229},
		{Path: "/dev/sda", Type: "b", Major: 8, Minor: 0, FileMode: fileModePtr(0o20660)},
		{Path: "/dev/fifo", Type: "p"},
	}}}
	if err := convertDevices(spec, "", config); err != nil {
		t.Fatal(err)
	}
	if got, want := len(config.Devices), 4+len(defaultDevices)-1; got != want {
		t.Fatalf("got %d devices, want %d (/dev/null must not be added twice)", got, want)
	}
	null, fuse, sda, fifo := config.Devices[0], config.Devices[1], config.Devices[2], config.Devices[3]
	if null.FileMode != 0o600 || null.UID != 7 || null.GID != 8 {
		t.Errorf("/dev/null = %+v", null)
	}
	if fuse.Type != 'c' || fuse.FileMode != 0o666 {
		t.Errorf("/dev/fuse = %+v", fuse)
	}
	if sda.Type != 'b' || sda.FileMode != 0o660 {
		t.Errorf("/dev/sda = %+v", sda)
	}
	if fifo.Type != 'p' {
		t.Errorf("/dev/fifo = %+v", fifo)
	}
	for _, d := range config.Devices[4:] {
		if d.Path == "/dev/null" {
			t.Error("default /dev/null added although listed")
		}
	}
}
