package criclient

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadPodConfigReadsSnakeCaseFields(t *testing.T) {
	path := writeFile(t, `{"metadata": {"name": "p", "uid": "u"},
		"linux": {"cgroup_parent": "/x", "security_context":
		{"namespace_options": {"network": "NODE", "ipc": "POD"}}}}`)
	cfg, err := LoadPodConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.GetMetadata().GetName() != "p" || cfg.GetLinux().GetCgroupParent() != "/x" {
		t.Errorf("config = %v", cfg)
	}
	if got := cfg.GetLinux().GetSecurityContext().GetNamespaceOptions().GetNetwork().String(); got != "NODE" {
		t.Errorf("network mode = %s, want NODE", got)
	}
}

func TestLoadContainerConfigRejectsUnknownFields(t *testing.T) {
	path := writeFile(t, `{"metadata": {"name": "c"}, "comand": ["sh"]}`)
	_, err := LoadContainerConfig(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "comand") {
		t.Errorf("error = %v, want one naming the file and the field", err)
	}
}

func TestLoadPodConfigOfAMissingFileNamesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.json")
	_, err := LoadPodConfig(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error = %v, want one naming %s", err, path)
	}
}
