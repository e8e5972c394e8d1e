package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// workspace is the bench's temporary directory:
//
//	template/            build-bundle.sh's bundle (busybox rootfs + config)
//	<runtime>/rootfs     that runtime's copy of the rootfs
//	<runtime>/base.json  its config (ociVersion patched for crun)
//	<runtime>/state      its --root; bundles/ and scratch/ belong to its worker
type workspace struct {
	dir string
	tag string // this run's part of every container id and cgroup name
}

// crunOCIVersion is the newest spec version crun 1.8.1 accepts.
const crunOCIVersion = "1.0.2"

func newWorkspace() (*workspace, error) {
	dir, err := os.MkdirTemp("", "ocirun-bench-")
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	return &workspace{dir: dir, tag: strconv.Itoa(os.Getpid())}, nil
}

func (ws *workspace) runtimeDir(name string) string { return filepath.Join(ws.dir, name) }
func (ws *workspace) idPrefix(name string) string   { return name + "-" + ws.tag + "-" }

// buildTemplate makes the template bundle with the integration suite's
// build-bundle.sh (`ocirun spec` + busybox rootfs), checks its config and
// returns it.
func (ws *workspace) buildTemplate(repo, ocirun string) (*specs.Spec, error) {
	script := filepath.Join(repo, "tests/integration/build-bundle.sh")
	dir := filepath.Join(ws.dir, "template")
	cmd := exec.Command(script, "-i", "bench-template", dir, "/bin/true")
	cmd.Env = append(os.Environ(), "OCIRUN="+ocirun, "OCIRUN_ROOTFS_CACHE=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build bundle with %s: %w: %s", script, err, strings.TrimSpace(string(out)))
	}
	spec, err := readSpec(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, err
	}
	if err := checkConfig(spec); err != nil {
		return nil, err
	}
	return spec, nil
}

// prepareRuntime copies the rootfs for one runtime and writes its config.
func (ws *workspace) prepareRuntime(name string, template *specs.Spec) error {
	dir := ws.runtimeDir(name)
	if err := os.MkdirAll(filepath.Join(dir, "state"), 0o700); err != nil {
		return fmt.Errorf("workspace %s: %w", name, err)
	}
	rootfs := filepath.Join(dir, "rootfs")
	if out, err := exec.Command("cp", "-a", filepath.Join(ws.dir, "template/rootfs"), rootfs).CombinedOutput(); err != nil {
		return fmt.Errorf("copy rootfs for %s: %w: %s", name, err, out)
	}
	spec := *template
	root := *spec.Root
	root.Path = rootfs
	spec.Root = &root
	if name == rtCrun {
		spec.Version = crunOCIVersion
	}
	data, err := json.MarshalIndent(&spec, "", "\t")
	if err != nil {
		return fmt.Errorf("config for %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "base.json"), data, 0o600); err != nil {
		return fmt.Errorf("config for %s: %w", name, err)
	}
	return nil
}

func readSpec(path string) (*specs.Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	var s specs.Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return &s, nil
}

// remove checks that nothing is left behind, then deletes the workspace:
// no runtime state, no cgroup of this run, no mount below it.
func (ws *workspace) remove() error {
	var errs []error
	for _, name := range runtimeNames {
		if err := sweepCgroups(cgroupPrefix + ws.idPrefix(name)); err != nil {
			errs = append(errs, err)
		}
		state := filepath.Join(ws.runtimeDir(name), "state")
		if entries, err := os.ReadDir(state); err == nil && len(entries) > 0 {
			errs = append(errs, fmt.Errorf("LEAK: %s state left in %s (%d entries)", name, state, len(entries)))
		}
	}
	if err := ws.unmountBelow(); err != nil {
		errs = append(errs, err)
	}
	if err := os.RemoveAll(ws.dir); err != nil {
		errs = append(errs, fmt.Errorf("remove workspace: %w", err))
	}
	return errors.Join(errs...)
}

// unmountBelow detaches any mount under the workspace (none is expected)
// so that removing it can never reach through a mount; it reports them.
func (ws *workspace) unmountBelow() error {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return fmt.Errorf("read mountinfo: %w", err)
	}
	defer f.Close()
	var found []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 4 && strings.HasPrefix(fields[4], ws.dir+"/") {
			found = append(found, fields[4])
		}
	}
	for i := len(found) - 1; i >= 0; i-- {
		unix.Unmount(found[i], unix.MNT_DETACH)
	}
	if len(found) > 0 {
		return fmt.Errorf("LEAK: mounts left below %s: %s", ws.dir, strings.Join(found, " "))
	}
	return nil
}
