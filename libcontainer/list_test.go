package libcontainer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// List and ListStates read only a summary of each state file; what they
// report must be what a full Load reports.
func TestListMatchesLoad(t *testing.T) {
	root := t.TempDir()
	// Enough containers for ListStates to use more than one goroutine.
	var ids []string
	for i := range 70 {
		ids = append(ids, fmt.Sprintf("c%02d", i))
	}
	for _, id := range ids {
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
	if len(list) != len(ids) {
		t.Fatalf("List found %d containers, want %d", len(list), len(ids))
	}
	states, err := ListStates(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != len(list) {
		t.Fatalf("ListStates found %d containers, List %d", len(states), len(list))
	}
	for i, c := range list {
		if got, want := states[i], c.OCIState(); !reflect.DeepEqual(got, want) {
			t.Errorf("ListStates: %+v\nList: %+v", got, want)
		}
		full, err := Load(root, c.ID(), false)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.OCIState(), full.OCIState(); !reflect.DeepEqual(got, want) {
			t.Errorf("List: %+v\nLoad: %+v", got, want)
		}
	}
}
