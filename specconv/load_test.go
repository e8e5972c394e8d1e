package specconv

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	bundle := t.TempDir()
	if err := os.WriteFile(filepath.Join(bundle, "config.json"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return bundle
}

func TestLoadSpecMissing(t *testing.T) {
	_, err := LoadSpec(t.TempDir())
	wantErrContaining(t, err, "config.json: open ", "no such file or directory")
	if !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("error %v does not wrap ENOENT", err)
	}
}

func unwrapAll(err error) error {
	for {
		next, ok := err.(interface{ Unwrap() error })
		if !ok || next.Unwrap() == nil {
			return err
		}
		err = next.Unwrap()
	}
}

func TestLoadSpecMalformed(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"syntax", "{\n  \"ociVersion\": \"1.0.0\",\n  oops\n}", "line 3, column 3"},
		{"truncated", `{"ociVersion": "1.0.0"`, "config.json: invalid JSON"},
		{"wrong type", "{\n\"process\": {\"args\": \"sh\"}}", "line 2"},
		{"empty", "", "config.json: invalid JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadSpec(writeConfig(t, tc.content))
			wantErrContaining(t, err, "config.json: invalid JSON", tc.want)
		})
	}
}

func TestLoadSpecExampleRoundTrip(t *testing.T) {
	data, err := json.Marshal(Example())
	if err != nil {
		t.Fatal(err)
	}
	spec, err := LoadSpec(writeConfig(t, string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if spec.Hostname != "ocirun" || spec.Process.Args[0] != "sh" {
		t.Errorf("round trip lost data: %+v", spec)
	}
}
