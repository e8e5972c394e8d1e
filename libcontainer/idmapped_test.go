package libcontainer

import (
	"os"
	"strings"
	"testing"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func TestIDMapHolders(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to write id maps")
	}
	mapA := []configs.IDMap{{ContainerID: 0, HostID: 100000, Size: 65536}}
	mapB := []configs.IDMap{{ContainerID: 1000, HostID: 300000, Size: 10}}
	cfg := &configs.Config{Mounts: []*configs.Mount{
		{UIDMappings: mapA, GIDMappings: mapA},
		{Device: "tmpfs"},
		{UIDMappings: mapA, GIDMappings: mapA},
		{UIDMappings: mapB, GIDMappings: mapA},
	}}
	stop, err := startIDMapHolders(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	m := cfg.Mounts
	if m[0].IDMapUserns == "" || m[0].IDMapUserns != m[2].IDMapUserns {
		t.Errorf("same mappings, different namespaces: %q %q", m[0].IDMapUserns, m[2].IDMapUserns)
	}
	if m[3].IDMapUserns == m[0].IDMapUserns {
		t.Errorf("different mappings share the namespace %q", m[3].IDMapUserns)
	}
	if m[1].IDMapUserns != "" {
		t.Errorf("plain mount got a namespace %q", m[1].IDMapUserns)
	}
	wantMap(t, m[0].IDMapUserns, "uid_map", "0 100000 65536")
	wantMap(t, m[3].IDMapUserns, "uid_map", "1000 300000 10")
	wantMap(t, m[3].IDMapUserns, "gid_map", "0 100000 65536")
	stop()
	for _, i := range []int{0, 3} {
		if _, err := os.Stat(procDir(m[i].IDMapUserns)); err == nil {
			t.Errorf("holder %s still exists after stop", procDir(m[i].IDMapUserns))
		}
	}
}

// procDir turns /proc/N/ns/user into /proc/N.
func procDir(userns string) string { return strings.TrimSuffix(userns, "/ns/user") }

func wantMap(t *testing.T, userns, file, want string) {
	t.Helper()
	data, err := os.ReadFile(procDir(userns) + "/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(string(data)), " "); got != want {
		t.Errorf("%s of %s = %q, want %q", file, userns, got, want)
	}
	self, _ := os.Readlink("/proc/self/ns/user")
	if ns, _ := os.Readlink(userns); ns == self || ns == "" {
		t.Errorf("%s is not a new user namespace (%q)", userns, ns)
	}
}
