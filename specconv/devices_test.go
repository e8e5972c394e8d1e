package specconv

import (
	"fmt"
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

func TestConvertDeviceRulesAppendsDefaults(t *testing.T) {
	spec := Example() // its rules: deny all
	config := &configs.Config{Cgroups: &configs.Cgroup{Path: "/x", Resources: spec.Linux.Resources}}
	if err := convertDeviceRules(spec, "", config); err != nil {
		t.Fatal(err)
	}
	got := config.Cgroups.Resources.Devices
	want := []string{
		"deny a *:* rwm", // the config's own rule stays first
		"allow c *:* m", "allow b *:* m",
		"allow c 1:3 rwm", "allow c 1:8 rwm", "allow c 1:7 rwm", "allow c 5:0 rwm",
		"allow c 1:5 rwm", "allow c 1:9 rwm", "allow c 5:1 rwm", "allow c 136:* rwm",
		"allow c 5:2 rwm", "allow c 10:200 rwm",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rules, want %d: %+v", len(got), len(want), got)
	}
	for i, r := range got {
		if s := ruleString(r); s != want[i] {
			t.Errorf("rule %d = %q, want %q", i, s, want[i])
		}
	}
	if len(spec.Linux.Resources.Devices) != 1 || config.Cgroups.Resources == spec.Linux.Resources {
		t.Error("the spec's resources were changed or shared")
	}
	if config.Cgroups.Resources.Memory != spec.Linux.Resources.Memory || config.Cgroups.Path != "/x" {
		t.Error("other cgroup settings were lost")
	}
}

func TestConvertDeviceRulesWithoutResources(t *testing.T) {
	for _, config := range []*configs.Config{{}, {Cgroups: &configs.Cgroup{}}} {
		if err := convertDeviceRules(&specs.Spec{Linux: &specs.Linux{}}, "", config); err != nil {
			t.Fatal(err)
		}
		if config.Cgroups == nil || config.Cgroups.Resources == nil || len(config.Cgroups.Resources.Devices) != 12 {
			t.Errorf("defaults not added: %+v", config.Cgroups)
		}
	}
}

// ruleString renders a rule like "allow c 1:3 rwm" for comparisons.
func ruleString(r specs.LinuxDeviceCgroup) string {
	num := func(p *int64) string {
		if p == nil {
			return "*"
		}
		return fmt.Sprint(*p)
	}
	verb := "deny"
	if r.Allow {
		verb = "allow"
	}
	kind := r.Type
	if kind == "" {
		kind = "a"
	}
	return fmt.Sprintf("%s %s %s:%s %s", verb, kind, num(r.Major), num(r.Minor), r.Access)
}
