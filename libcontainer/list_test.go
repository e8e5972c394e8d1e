package libcontainer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// List reads only a summary of each state file; what it reports must be
// what a full Load reports.
func TestListMatchesLoad(t *testing.T) {
	root := t.TempDir()
	for _, id := range []string{"a", "b"} {
		st := State{
			ID: id, InitPid: 1 << 30, Bundle: "/bundles/" + id, Owner: "root",
			Created: time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC),
			Config: &configs.Config{
				OCIVersion: "1.3.0", Rootfs: "/bundles/" + id + "/rootfs",
				Annotations: map[string]string{"org.example/key": id},
				Hostname:    "not-in-the-summary",
			},
		}
		data, err := json.Marshal(&st)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(root, id), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, id, stateFile), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Not containers: a directory without state, a file.
	os.Mkdir(filepath.Join(root, "creating"), 0o700)
	os.WriteFile(filepath.Join(root, "file"), nil, 0o600)

	list, err := List(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("List found %d containers, want 2", len(list))
	}
	for _, c := range list {
		full, err := Load(root, c.ID(), false)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.OCIState(), full.OCIState(); !reflect.DeepEqual(got, want) {
			t.Errorf("List: %+v\nLoad: %+v", got, want)
		}
	}
}
