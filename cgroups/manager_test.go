package cgroups

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// requireV1Host skips unless the test can create cgroups on a v1/hybrid host.
func requireV1Host(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	l, err := detectLayout()
	if err != nil || l.mode == modeV2 {
		t.Skipf("needs a cgroup v1 or hybrid host (layout err: %v)", err)
	}
}

// testCgroupName is an absolute cgroupsPath nobody else uses.
func testCgroupName(t *testing.T) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "/ocirun-unit-" + hex.EncodeToString(b)
}

// cleanupTree rmdirs whatever a failed test left below name in every
// hierarchy, deepest first.
func cleanupTree(t *testing.T, name string) {
	t.Cleanup(func() {
		l, _ := detectLayout()
		for _, h := range hierarchies(l) {
			root := filepath.Join(h.mountpoint, name)
			var dirs []string
			_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				if err == nil && d.IsDir() {
					dirs = append(dirs, p)
				}
				return nil
			})
			for i := len(dirs) - 1; i >= 0; i-- {
				_ = unix.Rmdir(dirs[i])
			}
		}
	})
}

// startSleep starts a child the test owns and kills it (by PID) at the end.
func startSleep(t *testing.T) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("/bin/sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killAndWait(cmd) })
	return cmd
}

func killAndWait(cmd *exec.Cmd) {
	if cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

func procsOf(t *testing.T, dir string) []int {
	t.Helper()
	pids, err := readProcs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return pids
}

func TestApplyPidsFreezeSetDestroy(t *testing.T) {
	requireV1Host(t)
	name := testCgroupName(t)
	cleanupTree(t, name)
	m, err := New(name, "unused-id")
	if err != nil {
		t.Fatal(err)
	}
	sleeper, nested := startSleep(t), startSleep(t)
	pid := sleeper.Process.Pid
	if err := m.Apply(pid); err != nil {
		t.Fatal(err)
	}
	st := m.State()
	if _, ok := st.Paths[""]; !ok || st.Version != 1 {
		t.Fatalf("hybrid state must have the unified path and version 1: %+v", st)
	}
	for ctrl, dir := range st.Paths {
		if !slices.Contains(procsOf(t, dir), pid) {
			t.Errorf("pid %d not in %s (%q)", pid, dir, ctrl)
		}
		if !slices.Contains(st.Created, dir) {
			t.Errorf("%s not recorded as created", dir)
		}
	}
	if cpus, _ := readCgroupFile(st.Paths["cpuset"], "cpuset.cpus"); cpus == "" {
		t.Error("cpuset.cpus not inherited")
	}
	if err := m.Apply(-1); err != nil || !reflect.DeepEqual(m.State().Created, st.Created) {
		t.Fatalf("second Apply changed Created or failed: %v", err)
	}

	// A process in a sub-cgroup the "container" made must still be listed.
	sub := filepath.Join(st.Paths["pids"], "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := addPid(sub, nested.Process.Pid); err != nil {
		t.Fatal(err)
	}
	pids, err := m.Pids()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(pids, pid) || !slices.Contains(pids, nested.Process.Pid) {
		t.Fatalf("Pids() = %v, want %d and %d", pids, pid, nested.Process.Pid)
	}

	checkFreeze(t, m, st.Paths["freezer"])
	checkSet(t, m, st.Paths)

	killAndWait(sleeper)
	killAndWait(nested)
	loaded := Load(m.State())
	if err := loaded.Destroy(); err != nil {
		t.Fatal(err)
	}
	for _, dir := range st.Created {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s still exists after Destroy (%v)", dir, err)
		}
	}
	if err := loaded.Destroy(); err != nil {
		t.Fatalf("second Destroy: %v", err)
	}
}

func checkFreeze(t *testing.T, m Manager, freezerDir string) {
	t.Helper()
	if err := m.Freeze(true); err != nil {
		t.Fatal(err)
	}
	if s, _ := readCgroupFile(freezerDir, "freezer.state"); s != "FROZEN" {
		t.Errorf("freezer.state = %q after Freeze(true)", s)
	}
	if err := m.Freeze(false); err != nil {
		t.Fatal(err)
	}
	if s, _ := readCgroupFile(freezerDir, "freezer.state"); s != "THAWED" {
		t.Errorf("freezer.state = %q after Freeze(false)", s)
	}
}

func checkSet(t *testing.T, m Manager, paths map[string]string) {
	t.Helper()
	pidsLimit, memLimit := int64(50), int64(64<<20)
	r := &specs.LinuxResources{
		Pids:   &specs.LinuxPids{Limit: &pidsLimit},
		Memory: &specs.LinuxMemory{Limit: &memLimit},
		CPU:    &specs.LinuxCPU{}, // nothing set: nothing written
	}
	if err := m.Set(nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Set(r); err != nil {
		t.Fatal(err)
	}
	if v, _ := readCgroupFile(paths["pids"], "pids.max"); v != "50" {
		t.Errorf("pids.max = %q", v)
	}
	if v, _ := readCgroupFile(paths["memory"], "memory.limit_in_bytes"); v != "67108864" {
		t.Errorf("memory.limit_in_bytes = %q", v)
	}
}

func TestDestroyKeepsPreexistingParent(t *testing.T) {
	requireV1Host(t)
	name := testCgroupName(t)
	cleanupTree(t, name)
	parent, err := New(name, "p")
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Apply(-1); err != nil {
		t.Fatal(err)
	}
	child, err := New(name+"/child", "c")
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Apply(-1); err != nil {
		t.Fatal(err)
	}
	for _, dir := range child.State().Created {
		if !strings.HasSuffix(dir, name+"/child") {
			t.Errorf("child claims a directory it did not create: %s", dir)
		}
	}
	if err := child.Destroy(); err != nil {
		t.Fatal(err)
	}
	for ctrl, dir := range parent.State().Paths {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("pre-existing %s (%q) was removed: %v", dir, ctrl, err)
		}
		if _, err := os.Stat(child.State().Paths[ctrl]); !os.IsNotExist(err) {
			t.Errorf("child dir of %q still there: %v", ctrl, err)
		}
	}
	if err := parent.Destroy(); err != nil {
		t.Fatal(err)
	}
}

func TestCreatedParentSharedIsKept(t *testing.T) {
	requireV1Host(t)
	name := testCgroupName(t)
	cleanupTree(t, name)
	first, err := New(name+"/a", "a")
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Apply(-1); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(first.State().Paths["pids"], "..", "b")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := first.Destroy(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("sibling cgroup removed: %v", err)
	}
}

func TestDestroyRefusesNonCgroupDir(t *testing.T) {
	dir := t.TempDir()
	m := Load(State{Version: 1, Paths: map[string]string{"pids": dir}, Created: []string{dir}})
	if err := m.Destroy(); err == nil || !strings.Contains(err.Error(), "not on a cgroup filesystem") {
		t.Fatalf("Destroy err = %v", err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal("directory outside cgroupfs was removed")
	}
}

func TestFreezeWithoutFreezer(t *testing.T) {
	m := Load(State{Version: 1, Paths: map[string]string{"memory": "/nonexistent"}})
	if err := m.Freeze(true); err == nil || !strings.Contains(err.Error(), "freezer not available") {
		t.Fatalf("Freeze err = %v", err)
	}
}

func TestStateRoundTrip(t *testing.T) {
	for _, s := range []State{
		{Version: 1, Paths: map[string]string{"memory": "/m/x", "": "/u/x"}, Created: []string{"/m/x", "/u/x"}},
		{Version: 2, Paths: map[string]string{"": "/sys/fs/cgroup/x"}},
	} {
		got := Load(s).State()
		if got.Version != s.Version || !reflect.DeepEqual(got.Paths, s.Paths) || !slices.Equal(got.Created, s.Created) {
			t.Errorf("round trip of %+v gave %+v", s, got)
		}
	}
}

func TestEnableController(t *testing.T) {
	root := t.TempDir()
	mid := filepath.Join(root, "a")
	leaf := filepath.Join(mid, "b")
	if err := os.MkdirAll(leaf, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(dir, s string) {
		if err := os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(root, "cpu pids\n")
	write(mid, "")
	if err := enableController(root, leaf, "pids"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "cgroup.subtree_control")); string(b) != "cpu pids\n" {
		t.Errorf("root rewritten although pids was enabled: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(mid, "cgroup.subtree_control")); string(b) != "+pids" {
		t.Errorf("parent got %q, want +pids", b)
	}
}
