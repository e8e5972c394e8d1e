package specconv

import (
	"os"
	"path/filepath"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// convertExample converts Example() after mutate and fails the test on error.
func convertExample(t *testing.T, mutate func(*specs.Spec)) (*specs.Spec, error) {
	t.Helper()
	spec := Example()
	mutate(spec)
	_, _, err := Convert(spec, Options{ID: "test", Bundle: newBundle(t)})
	return spec, err
}

func TestConvertAppArmor(t *testing.T) {
	dir := t.TempDir()
	old := appArmorEnabledPath
	t.Cleanup(func() { appArmorEnabledPath = old })
	withProfile := func(s *specs.Spec) { s.Process.ApparmorProfile = "docker-default" }

	appArmorEnabledPath = filepath.Join(dir, "absent")
	wantErrContaining(t, convertExampleWith(t, withProfile), "process.apparmorProfile: AppArmor is not enabled on this host")

	appArmorEnabledPath = filepath.Join(dir, "enabled")
	if err := os.WriteFile(appArmorEnabledPath, []byte("Y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := Example()
	withProfile(spec)
	_, p, err := Convert(spec, Options{ID: "test", Bundle: newBundle(t)})
	if err != nil {
		t.Fatalf("with AppArmor enabled: %v", err)
	}
	if p.ApparmorProfile != "docker-default" {
		t.Fatalf("ApparmorProfile = %q, want docker-default", p.ApparmorProfile)
	}
}

func TestConvertSELinuxLabel(t *testing.T) {
	old := selinuxEnabled
	t.Cleanup(func() { selinuxEnabled = old })
	const label = "system_u:system_r:container_t:s0:c1,c2"
	withLabel := func(s *specs.Spec) { s.Process.SelinuxLabel = label }

	selinuxEnabled = func() bool { return false }
	_, err := convertExample(t, withLabel)
	wantErrContaining(t, err, "process.selinuxLabel: SELinux is disabled")

	selinuxEnabled = func() bool { return true }
	spec := Example()
	withLabel(spec)
	spec.Linux.MountLabel = "system_u:object_r:container_file_t:s0:c1,c2"
	cfg, p, err := Convert(spec, Options{ID: "test", Bundle: newBundle(t)})
	if err != nil {
		t.Fatalf("with SELinux enabled: %v", err)
	}
	if p.SelinuxLabel != label || cfg.MountLabel != spec.Linux.MountLabel {
		t.Fatalf("labels not carried: process %q, mount %q", p.SelinuxLabel, cfg.MountLabel)
	}
}

// A mount label alone is accepted without SELinux (and ignored by rootfs).
func TestConvertMountLabelWithoutSELinux(t *testing.T) {
	old := selinuxEnabled
	t.Cleanup(func() { selinuxEnabled = old })
	selinuxEnabled = func() bool { return false }
	if _, err := convertExample(t, func(s *specs.Spec) { s.Linux.MountLabel = "system_u:object_r:x:s0" }); err != nil {
		t.Fatalf("mount label without SELinux: %v", err)
	}
}

func TestConvertProcessCarriesLSMFields(t *testing.T) {
	oldAA, oldSE := appArmorEnabledPath, selinuxEnabled
	t.Cleanup(func() { appArmorEnabledPath, selinuxEnabled = oldAA, oldSE })
	appArmorEnabledPath = filepath.Join(t.TempDir(), "enabled")
	if err := os.WriteFile(appArmorEnabledPath, []byte("Y"), 0o644); err != nil {
		t.Fatal(err)
	}
	selinuxEnabled = func() bool { return true }
	p := Example().Process
	p.ApparmorProfile, p.SelinuxLabel = "prof", "lbl"
	got, err := ConvertProcess(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.ApparmorProfile != "prof" || got.SelinuxLabel != "lbl" {
		t.Fatalf("got %q / %q", got.ApparmorProfile, got.SelinuxLabel)
	}
}
