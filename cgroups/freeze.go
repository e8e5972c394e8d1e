package cgroups

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// freezeTimeout bounds the wait for the kernel to report the new state;
// freezing can stall on tasks stuck in uninterruptible sleep.
const freezeTimeout = 5 * time.Second

var errTimeout = errors.New("timed out")

// freezeV1 sets freezer.state and waits until it reads back. The state is
// rewritten on every poll because a freeze can stall in FREEZING and a new
// write makes the kernel retry the tasks it could not stop.
func freezeV1(dir string, frozen bool) error {
	want := "THAWED"
	if frozen {
		want = "FROZEN"
	}
	err := pollUntil(freezeTimeout, func() (bool, error) {
		if err := writeCgroupFile(dir, "freezer.state", want); err != nil {
			return false, freezeErr(dir, "freezer.state", want, err)
		}
		got, err := readCgroupFile(dir, "freezer.state")
		if err != nil {
			return false, fmt.Errorf("cgroup: freeze: %w", err)
		}
		return got == want, nil
	})
	if errors.Is(err, errTimeout) {
		if frozen { // do not leave the container half frozen
			_ = writeCgroupFile(dir, "freezer.state", "THAWED")
		}
		return fmt.Errorf("cgroup: freeze: %s did not become %s: %w", filepath.Join(dir, "freezer.state"), want, err)
	}
	return err
}

// freezeV2 sets cgroup.freeze and waits for cgroup.events to confirm.
func freezeV2(dir string, frozen bool) error {
	want := "0"
	if frozen {
		want = "1"
	}
	if err := writeCgroupFile(dir, "cgroup.freeze", want); err != nil {
		return freezeErr(dir, "cgroup.freeze", want, err)
	}
	err := pollUntil(freezeTimeout, func() (bool, error) {
		events, err := readCgroupFile(dir, "cgroup.events")
		if err != nil {
			return false, fmt.Errorf("cgroup: freeze: %w", err)
		}
		return hasLine(events, "frozen "+want), nil
	})
	if errors.Is(err, errTimeout) {
		if frozen {
			_ = writeCgroupFile(dir, "cgroup.freeze", "0")
		}
		return fmt.Errorf("cgroup: freeze: %s did not report \"frozen %s\": %w", filepath.Join(dir, "cgroup.events"), want, err)
	}
	return err
}

// freezeErr explains a failed write; a missing control file in an existing
// cgroup means the kernel offers no freezer there.
func freezeErr(dir, file, value string, err error) error {
	p := filepath.Join(dir, file)
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(dir); serr == nil {
			return fmt.Errorf("cgroup: freeze: freezer not available: %s does not exist", p)
		}
	}
	return fmt.Errorf("cgroup: freeze: write %q to %s: %w", value, p, bareErr(err))
}

func hasLine(text, line string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}

// pollUntil calls done until it reports true or fails, sleeping a little
// longer each time, and returns errTimeout after timeout.
func pollUntil(timeout time.Duration, done func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	delay := time.Millisecond
	for {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return errTimeout
		}
		time.Sleep(delay)
		delay = min(delay*2, 20*time.Millisecond)
	}
}

// frozenV2 reports whether a cgroup2 directory is asked to be frozen.
func frozenV2(dir string) bool {
	v, err := readCgroupFile(dir, "cgroup.freeze")
	return err == nil && v == "1"
}
