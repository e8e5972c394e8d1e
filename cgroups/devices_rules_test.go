package cgroups

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func TestParseDeviceRules(t *testing.T) {
	rules, err := parseDeviceRules([]specs.LinuxDeviceCgroup{
		{Allow: false},
		{Allow: true, Type: "c", Major: ptr[int64](1), Minor: ptr[int64](3), Access: "mwr"},
		{Allow: true, Type: "b", Major: ptr[int64](8), Access: "r"},
		{Allow: true, Type: "c", Major: ptr[int64](-1), Minor: ptr[int64](-1), Access: "m"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a *:* rwm", "c 1:3 rwm", "b 8:* r", "c *:* m"}
	for i, r := range rules {
		if r.String() != want[i] {
			t.Errorf("rule %d = %q, want %q", i, r.String(), want[i])
		}
	}
}

func TestParseDeviceRulesErrors(t *testing.T) {
	for _, tc := range []struct {
		rule specs.LinuxDeviceCgroup
		want string
	}{
		{specs.LinuxDeviceCgroup{Type: "x"}, "devices[1]: type"},
		{specs.LinuxDeviceCgroup{Type: "c", Access: "rx"}, "devices[1]: access"},
		{specs.LinuxDeviceCgroup{Type: "c", Major: ptr[int64](-2)}, "devices[1]: major"},
		{specs.LinuxDeviceCgroup{Type: "a", Minor: ptr[int64](3)}, "devices[1]: type \"a\""},
		{specs.LinuxDeviceCgroup{Allow: true, Access: "r"}, "devices[1]: access"},
	} {
		_, err := parseDeviceRules([]specs.LinuxDeviceCgroup{{}, tc.rule})
		wantErr(t, err, "linux.resources."+tc.want)
	}
}

func TestDeviceStateMatchesKernel(t *testing.T) {
	rules, _ := parseDeviceRules([]specs.LinuxDeviceCgroup{
		{Allow: true, Type: "c", Major: ptr[int64](1), Minor: ptr[int64](3), Access: "r"}, // no leading deny: still an allow-list
		{Allow: true, Type: "c", Major: ptr[int64](1), Minor: ptr[int64](3), Access: "w"}, // merged into "rw"
		{Allow: true, Type: "c", Major: ptr[int64](5), Minor: ptr[int64](1)},
		{Allow: false, Type: "c", Major: ptr[int64](5), Minor: ptr[int64](1), Access: "rwm"}, // removed again
		{Allow: true, Type: "b", Access: "m"},
	})
	want, known := parseDevicesList("c 1:3 rw\nb *:* m\n")
	if !known {
		t.Fatal("allow-list not parsed as known")
	}
	if got := targetDeviceState(rules); !got.Equal(want) {
		t.Fatalf("state %+v, want %+v", got, want)
	}
	if _, known := parseDevicesList("a *:* rwm\n"); known {
		t.Error("allow-all list must count as unknown (exceptions are hidden)")
	}
}

func TestSetDevicesV1(t *testing.T) {
	dir := fakeCgroup(t, "devices.allow", "devices.deny", "devices.list=a *:* rwm\n")
	writes := recordWrites(t)
	rules := []specs.LinuxDeviceCgroup{
		{Allow: false, Access: "rwm"},
		{Allow: true, Type: "c", Major: ptr[int64](1), Minor: ptr[int64](3), Access: "rwm"},
		{Allow: false, Type: "c", Major: ptr[int64](1), Minor: ptr[int64](3), Access: "m"},
		{Allow: true, Type: "c", Major: ptr[int64](136)},
	}
	if err := setDevicesV1(dir, rules); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes,
		"devices.deny a *:* rwm",
		"devices.allow c 1:3 rwm",
		"devices.deny c 1:3 m",
		"devices.allow c 136:* rwm")

	// The kernel now lists exactly the resulting allow-list: a second Set
	// with the same rules must not reset it under the running container.
	addFakeFiles(t, dir, "devices.list=c 1:3 rw\nc 136:* rwm\n")
	*writes = nil
	if err := setDevicesV1(dir, rules); err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes)
}

func TestSetDevicesV1ResetsFirst(t *testing.T) {
	dir := fakeCgroup(t, "devices.allow", "devices.deny", "devices.list=a *:* rwm\n")
	writes := recordWrites(t)
	err := setDevicesV1(dir, []specs.LinuxDeviceCgroup{{Allow: true, Type: "c", Major: ptr[int64](1), Minor: ptr[int64](3)}})
	if err != nil {
		t.Fatal(err)
	}
	wantWrites(t, writes, "devices.deny a", "devices.allow c 1:3 rwm")
}

func TestSetDevicesV1WriteError(t *testing.T) {
	dir := fakeCgroup(t, "devices.deny", "devices.list=a *:* rwm\n") // no devices.allow
	err := setDevicesV1(dir, []specs.LinuxDeviceCgroup{{}, {Allow: true, Type: "c", Major: ptr[int64](1), Minor: ptr[int64](3)}})
	wantErr(t, err, "linux.resources.devices[1]: ", dir+"/devices.allow: not supported by this host (no such file)")
}
