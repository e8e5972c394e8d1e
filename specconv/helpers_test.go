package specconv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// newBundle returns a temp bundle directory containing an empty rootfs.
func newBundle(t *testing.T) string {
	t.Helper()
	bundle := t.TempDir()
	if err := os.Mkdir(filepath.Join(bundle, "rootfs"), 0o755); err != nil {
		t.Fatal(err)
	}
	return bundle
}

func intPtr(v int) *int { return &v }

func uint32Ptr(v uint32) *uint32 { return &v }

func fileModePtr(m os.FileMode) *os.FileMode { return &m }

// wantErrContaining fails unless err is non-nil and contains every want.
func wantErrContaining(t *testing.T, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected an error containing %q, got nil", wants)
	}
	t.Logf("error: %v", err)
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("error %q does not contain %q", err, w)
		}
	}
}

// convertExampleWith converts Example() after applying mutate.
func convertExampleWith(t *testing.T, mutate func(*specs.Spec)) error {
	t.Helper()
	spec := Example()
	if mutate != nil {
		mutate(spec)
	}
	_, _, err := Convert(spec, Options{ID: "test", Bundle: newBundle(t)})
	return err
}
