package hooks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hook.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunPassesStateArgsAndEnv(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	path := script(t, `cat > "$OUT.state"; echo "$1 $2 $FOO" > "$OUT"`)
	h := &specs.Hooks{CreateRuntime: []specs.Hook{{
		Path: path, Args: []string{"myhook", "arg1", "arg2"}, Env: []string{"FOO=bar", "OUT=" + out},
	}}}
	st := &specs.State{Version: specs.Version, ID: "c1", Status: "creating", Pid: 42, Bundle: "/b"}
	if err := Run(h, CreateRuntime, st); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if string(got) != "arg1 arg2 bar\n" {
		t.Fatalf("argv/env: %q", got)
	}
	state, _ := os.ReadFile(out + ".state")
	if !strings.Contains(string(state), `"id":"c1"`) || !strings.Contains(string(state), `"pid":42`) {
		t.Fatalf("state on stdin: %s", state)
	}
}

func TestRunStopsAtFirstFailureAndNamesIt(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "second-ran")
	h := &specs.Hooks{Poststop: []specs.Hook{
		{Path: script(t, "echo broken >&2; exit 3")},
		{Path: script(t, "touch "+marker)},
	}}
	err := Run(h, Poststop, &specs.State{})
	if err == nil || !strings.Contains(err.Error(), "hooks.poststop[0]") || !strings.Contains(err.Error(), "broken") {
		t.Fatalf("error: %v", err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the hook after the failing one ran")
	}
}

func TestRunTimeoutKills(t *testing.T) {
	one := 1
	h := &specs.Hooks{StartContainer: []specs.Hook{{Path: script(t, "exec sleep 30"), Timeout: &one}}}
	start := time.Now()
	err := Run(h, StartContainer, &specs.State{})
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("error: %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("timeout did not kill the hook")
	}
}

func TestRunMissingBinary(t *testing.T) {
	h := &specs.Hooks{Prestart: []specs.Hook{{Path: "/nonexistent/hook"}}}
	if err := Run(h, Prestart, &specs.State{}); err == nil || !strings.Contains(err.Error(), "/nonexistent/hook") {
		t.Fatalf("error: %v", err)
	}
}

func TestRunAllContinuesAfterFailures(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "second-ran")
	h := &specs.Hooks{Poststop: []specs.Hook{
		{Path: script(t, "exit 1")},
		{Path: script(t, "touch "+marker)},
		{Path: script(t, "exit 2")},
	}}
	err := RunAll(h, Poststop, &specs.State{})
	if err == nil || !strings.Contains(err.Error(), "hooks.poststop[0]") || !strings.Contains(err.Error(), "hooks.poststop[2]") {
		t.Fatalf("error: %v", err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatal("the hook after the failing one did not run")
	}
}
