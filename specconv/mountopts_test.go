package specconv

import (
	"reflect"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

func TestParseMountOptions(t *testing.T) {
	tests := []struct {
		name    string
		options []string
		want    parsedMountOptions
	}{
		{"none", nil, parsedMountOptions{}},
		{"flags and data", []string{"nosuid", "strictatime", "mode=755", "size=65536k"},
			parsedMountOptions{flags: unix.MS_NOSUID | unix.MS_STRICTATIME, data: "mode=755,size=65536k"}},
		{"cleared flags", []string{"rw", "suid", "dev", "exec", "async", "atime", "nomand", "diratime", "norelatime", "nostrictatime", "symfollow"},
			parsedMountOptions{clearedFlags: unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC |
				unix.MS_SYNCHRONOUS | unix.MS_NOATIME | unix.MS_MANDLOCK | unix.MS_NODIRATIME | unix.MS_RELATIME |
				unix.MS_STRICTATIME | unix.MS_NOSYMFOLLOW}},
		{"set flags", []string{"ro", "nodev", "noexec", "sync", "dirsync", "remount", "mand", "noatime", "nodiratime", "relatime", "nosymfollow", "defaults"},
			parsedMountOptions{flags: unix.MS_RDONLY | unix.MS_NODEV | unix.MS_NOEXEC | unix.MS_SYNCHRONOUS | unix.MS_DIRSYNC |
				unix.MS_REMOUNT | unix.MS_MANDLOCK | unix.MS_NOATIME | unix.MS_NODIRATIME | unix.MS_RELATIME | unix.MS_NOSYMFOLLOW}},
		{"later option wins", []string{"ro", "rw"}, parsedMountOptions{clearedFlags: unix.MS_RDONLY}},
		{"later option wins back", []string{"rw", "ro"}, parsedMountOptions{flags: unix.MS_RDONLY}},
		{"rbind", []string{"rbind"}, parsedMountOptions{flags: unix.MS_BIND | unix.MS_REC}},
		{"bind", []string{"bind"}, parsedMountOptions{flags: unix.MS_BIND}},
		{"propagation in order", []string{"rprivate", "shared", "rslave", "unbindable", "runbindable", "private", "slave", "rshared"},
			parsedMountOptions{propagation: []int{
				unix.MS_PRIVATE | unix.MS_REC, unix.MS_SHARED, unix.MS_SLAVE | unix.MS_REC, unix.MS_UNBINDABLE,
				unix.MS_UNBINDABLE | unix.MS_REC, unix.MS_PRIVATE, unix.MS_SLAVE, unix.MS_SHARED | unix.MS_REC}}},
		{"rec attrs set", []string{"rro", "rnosuid", "rnodev", "rnoexec", "rnodiratime", "rnosymfollow"},
			parsedMountOptions{recAttrSet: unix.MOUNT_ATTR_RDONLY | unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NODEV |
				unix.MOUNT_ATTR_NOEXEC | unix.MOUNT_ATTR_NODIRATIME | unix.MOUNT_ATTR_NOSYMFOLLOW}},
		{"rec attrs clear", []string{"rrw", "rsuid", "rdev", "rexec", "rdiratime", "rsymfollow", "ratime", "rnostrictatime"},
			parsedMountOptions{recAttrClr: unix.MOUNT_ATTR_RDONLY | unix.MOUNT_ATTR_NOSUID | unix.MOUNT_ATTR_NODEV |
				unix.MOUNT_ATTR_NOEXEC | unix.MOUNT_ATTR_NODIRATIME | unix.MOUNT_ATTR_NOSYMFOLLOW |
				unix.MOUNT_ATTR__ATIME}},
		{"rnoatime clears the atime field", []string{"rnoatime"},
			parsedMountOptions{recAttrSet: unix.MOUNT_ATTR_NOATIME, recAttrClr: unix.MOUNT_ATTR__ATIME}},
		{"the last atime option wins", []string{"rstrictatime", "rrelatime"},
			parsedMountOptions{recAttrSet: unix.MOUNT_ATTR_RELATIME, recAttrClr: unix.MOUNT_ATTR__ATIME}},
		{"ratime selects relatime (the kernel refuses a partial atime clear)", []string{"rnoatime", "ratime"},
			parsedMountOptions{recAttrClr: unix.MOUNT_ATTR__ATIME}},
		{"rec attr later wins", []string{"rro", "rrw"}, parsedMountOptions{recAttrClr: unix.MOUNT_ATTR_RDONLY}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseMountOptions(tc.options)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("parseMountOptions(%q) = %+v, want %+v", tc.options, got, tc.want)
			}
		})
	}
}

func TestParseMountOptionsUnsupported(t *testing.T) {
	for _, o := range []string{"tmpcopyup"} {
		_, err := parseMountOptions([]string{"ro", o})
		wantErrContaining(t, err, `"`+o+`" is not supported yet`)
	}
}

func TestConvertMountBind(t *testing.T) {
	tests := []struct {
		name       string
		mount      specs.Mount
		wantSource string
		wantFlags  int
	}{
		{"type bind", specs.Mount{Destination: "/a", Type: "bind", Source: "/src"}, "/src", unix.MS_BIND},
		{"rbind option", specs.Mount{Destination: "/a", Type: "none", Source: "/src", Options: []string{"rbind", "ro"}},
			"/src", unix.MS_BIND | unix.MS_REC | unix.MS_RDONLY},
		{"no type", specs.Mount{Destination: "/a", Source: "/src", Options: []string{"bind"}}, "/src", unix.MS_BIND},
		{"relative source", specs.Mount{Destination: "/a", Type: "bind", Source: "data"}, "/bundle/data", unix.MS_BIND},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := convertMount(tc.mount, "/bundle")
			if err != nil {
				t.Fatal(err)
			}
			if m.Device != "bind" || m.Source != tc.wantSource || m.Flags != tc.wantFlags || !m.IsBind() {
				t.Errorf("got %+v", m)
			}
		})
	}
}

func TestConvertMountKeepsNonBindSource(t *testing.T) {
	m, err := convertMount(specs.Mount{Destination: "/dev/shm/", Type: "tmpfs", Source: "shm", Options: []string{"nodev", "size=1m"}}, "/bundle")
	if err != nil {
		t.Fatal(err)
	}
	if m.Source != "shm" || m.Device != "tmpfs" || m.Destination != "/dev/shm" || m.Data != "size=1m" || m.Flags != unix.MS_NODEV {
		t.Errorf("got %+v", m)
	}
}
