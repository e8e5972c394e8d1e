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
	rss := other.sample()
	if rss <= 0 {
		t.Fatalf("child %d not counted (sum %d)", pid, rss)
	}
	if own := other.rss(pid); own <= 0 || own > rss {
		t.Errorf("child's RSS %d not within the sum %d", own, rss)
	}
	program, err := statID(sleep)
	if err != nil {
		t.Fatal(err)
	}
	excluding := newRSSSampler("test-", program)
	if got := excluding.sample(); got != 0 {
		t.Errorf("a child running the container program counted: %d bytes", got)
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
		if probe.sample() > 0 {
			break
		}
		time.Sleep(sampleEvery)
	}
	time.Sleep(10 * sampleEvery)
	if peak := s.stop(); peak <= 0 {
		t.Errorf("peak %d with a child running", peak)
	}
}
