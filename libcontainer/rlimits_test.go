package libcontainer

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

func TestRlimitExceeded(t *testing.T) {
	const inf = unix.RLIM_INFINITY
	cur := unix.Rlimit{Cur: 512, Max: 1024}
	tests := []struct {
		name   string
		l      configs.Rlimit
		cur    unix.Rlimit
		nrOpen uint64
		why    string
		want   string // "" means no error
	}{
		{"within the caller's limits", configs.Rlimit{Type: unix.RLIMIT_NOFILE, Soft: 1024, Hard: 1024}, cur, 1048576, "rootless", ""},
		{"lowering is always allowed", configs.Rlimit{Type: unix.RLIMIT_NOFILE, Soft: 10, Hard: 100}, cur, 1048576, "rootless", ""},
		{"soft raised up to the hard limit", configs.Rlimit{Type: unix.RLIMIT_NPROC, Soft: 1024, Hard: 1024}, cur, 0, "rootless", ""},
		{"rootless raise", configs.Rlimit{Type: unix.RLIMIT_NOFILE, Soft: 1024, Hard: 1025}, cur, 1048576, "rootless",
			"process.rlimits: RLIMIT_NOFILE: hard limit 1025 is above the caller's hard limit 1024 (rootless: only CAP_SYS_RESOURCE in the host's user namespace may raise a hard limit)"},
		{"unlimited asked", configs.Rlimit{Type: unix.RLIMIT_CORE, Soft: 0, Hard: inf}, cur, 0, "the container has its own user namespace",
			"process.rlimits: RLIMIT_CORE: hard limit unlimited is above the caller's hard limit 1024 (the container has its own user namespace:"},
		{"privileged raise", configs.Rlimit{Type: unix.RLIMIT_NOFILE, Soft: 4096, Hard: 4096}, cur, 1048576, "", ""},
		{"caller unlimited", configs.Rlimit{Type: unix.RLIMIT_STACK, Soft: 1 << 30, Hard: 1 << 40}, unix.Rlimit{Cur: inf, Max: inf}, 0, "rootless", ""},
		{"above nr_open even when privileged", configs.Rlimit{Type: unix.RLIMIT_NOFILE, Soft: 1, Hard: 1048577}, unix.Rlimit{Cur: inf, Max: inf}, 1048576, "",
			"process.rlimits: RLIMIT_NOFILE: hard limit 1048577 is above fs.nr_open 1048576"},
		{"nr_open applies to RLIMIT_NOFILE only", configs.Rlimit{Type: unix.RLIMIT_NPROC, Soft: 1, Hard: 1048577}, unix.Rlimit{Cur: inf, Max: inf}, 1048576, "", ""},
		{"soft above hard", configs.Rlimit{Type: unix.RLIMIT_NPROC, Soft: 20, Hard: 10}, cur, 0, "",
			"process.rlimits: RLIMIT_NPROC: soft limit 20 is above the hard limit 10"},
		{"unknown number", configs.Rlimit{Type: 99, Soft: 1, Hard: 2048}, cur, 0, "rootless",
			"process.rlimits: rlimit 99: hard limit 2048"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rlimitExceeded(tt.l, tt.cur, tt.nrOpen, tt.why)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("no error, want %q", tt.want)
			case tt.want != "" && !strings.HasPrefix(err.Error(), tt.want):
				t.Fatalf("error %q, want it to start with %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
		})
	}
}

// TestCheckRlimitsWithUserNamespace uses this process's real limits: a
// container with its own user namespace can never raise a hard limit,
// whoever runs the test, while one within the limits passes.
func TestCheckRlimitsWithUserNamespace(t *testing.T) {
	var cur unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &cur); err != nil {
		t.Fatal(err)
	}
	if cur.Max == unix.RLIM_INFINITY {
		t.Skip("RLIMIT_NOFILE's hard limit is unlimited here: nothing is above it")
	}
	cfg := &configs.Config{Namespaces: []configs.Namespace{{Type: configs.NEWUSER}}}
	over := &configs.Process{Rlimits: []configs.Rlimit{{Type: unix.RLIMIT_NOFILE, Soft: 0, Hard: cur.Max + 1}}}
	err := checkRlimits(cfg, over)
	if err == nil || !strings.HasPrefix(err.Error(), "process.rlimits: RLIMIT_NOFILE: hard limit ") {
		t.Fatalf("checkRlimits = %v, want a process.rlimits: RLIMIT_NOFILE error", err)
	}
	within := &configs.Process{Rlimits: []configs.Rlimit{{Type: unix.RLIMIT_NOFILE, Soft: 0, Hard: cur.Max}}}
	if err := checkRlimits(cfg, within); err != nil {
		t.Fatalf("checkRlimits within the limits: %v", err)
	}
	if err := checkRlimits(cfg, nil); err != nil {
		t.Fatalf("checkRlimits(nil process): %v", err)
	}
}

func TestRlimitRaiseBlockerUserNamespace(t *testing.T) {
	cfg := &configs.Config{Namespaces: []configs.Namespace{{Type: configs.NEWUSER, Path: "/proc/1/ns/user"}}}
	if why := rlimitRaiseBlocker(cfg); why == "" {
		t.Fatal("a container joining a user namespace may not raise hard limits, got no reason")
	}
}
