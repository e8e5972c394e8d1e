package main

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestParentPid(t *testing.T) {
	if got := parentPid(os.Getpid()); got != os.Getppid() {
		t.Errorf("parentPid(self) = %d, want %d", got, os.Getppid())
	}
	if got := parentPid(-1); got != 0 {
		t.Errorf("parentPid(-1) = %d, want 0", got)
	}
}

func TestSamplerCountsChildrenButNotTheProgram(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	pid := startSleep(t, sleep)
	other := newRSSSampler("test-", fileID{})
	// The child may still be loading: its memory only grows meanwhile, so
	// read its own figures before the sums (and PSS before RSS).
	ownPSS := pss(pid)
	ownRSS := other.rss(pid)
	sum := other.sample()
	if sum.rss <= 0 || sum.pss <= 0 {
		t.Fatalf("child %d not counted (sum %+v)", pid, sum)
	}
	if ownRSS <= 0 || ownRSS > sum.rss {
		t.Errorf("child's RSS %d not within the sum %d", ownRSS, sum.rss)
	}
	// Proportional: never more than the resident set.
	if ownPSS <= 0 || ownPSS > ownRSS || ownPSS > sum.pss {
		t.Errorf("child's PSS %d: not positive, above its RSS %d or above the sum %d", ownPSS, ownRSS, sum.pss)
	}
	program, err := statID(sleep)
	if err != nil {
		t.Fatal(err)
	}
	excluding := newRSSSampler("test-", program)
	if got := excluding.sample(); got != (memPeak{}) {
		t.Errorf("a child running the container program counted: %+v", got)
	}
}

func TestSamplerPeak(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	s := startRSSSampler("test-", fileID{})
	startSleep(t, sleep)
	// A second sampler (the running one is not safe to call from here)
	// tells when the child is visible; then the running one has had a
	// few periods to see it too.
	probe := newRSSSampler("test-", fileID{})
	for range 100 {
		if probe.sample().rss > 0 {
			break
		}
		time.Sleep(sampleEvery)
	}
	time.Sleep(10 * sampleEvery)
	if peak := s.stop(); peak.rss <= 0 || peak.pss <= 0 {
		t.Errorf("peak %+v with a child running", peak)
	}
}
