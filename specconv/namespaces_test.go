package specconv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func TestCheckNamespacePathMatchingTypes(t *testing.T) {
	files := map[configs.NamespaceType]string{
		configs.NEWPID: "pid", configs.NEWNET: "net", configs.NEWNS: "mnt", configs.NEWIPC: "ipc",
		configs.NEWUTS: "uts", configs.NEWUSER: "user", configs.NEWCGROUP: "cgroup", configs.NEWTIME: "time",
	}
	for nsType, file := range files {
		path := "/proc/self/ns/" + file
		if _, err := os.Stat(path); err != nil {
			t.Logf("skipping %s: %v", path, err)
			continue
		}
		if err := checkNamespacePath(path, nsType); err != nil {
			t.Errorf("checkNamespacePath(%s, %s): %v", path, nsType, err)
		}
	}
}

func TestCheckNamespacePathErrors(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		nsType     configs.NamespaceType
		want       string
	}{
		{"wrong type", "/proc/self/ns/ipc", configs.NEWNET, "/proc/self/ns/ipc is not a network namespace"},
		{"plain file", plain, configs.NEWNET, plain + " is not a namespace"},
		{"directory", dir, configs.NEWNET, dir + " is not a namespace"},
		{"device", "/dev/null", configs.NEWNET, "/dev/null is not a namespace"},
		{"missing", filepath.Join(dir, "nope"), configs.NEWPID, "no such file or directory"},
		{"relative", "proc/self/ns/pid", configs.NEWPID, "is not an absolute path"},
		{"newline", "/proc/self/ns/pid\n", configs.NEWPID, "newline"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErrContaining(t, checkNamespacePath(tc.path, tc.nsType), tc.want)
		})
	}
}
