package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// rssSampler sums the memory of every process of one runtime every
// sampleEvery and keeps the maxima: the resident set (VmRSS, from
// /proc/PID/statm; pages shared between processes, such as the binary's
// text, count once per process, as in ps) and the proportional set size
// (Pss, from /proc/PID/smaps_rollup; a shared page counts 1/N in each of
// the N processes mapping it, so the sum is the memory they use together).
//
// A process belongs to the runtime when it descends from the worker (the
// runtime CLIs and what they fork) or sits in one of this worker's
// container cgroups (an init waiting for `start` after its `create` has
// exited and it was reparented) — unless it already runs the container's
// program (busybox), which is the workload, not the runtime.
type rssSampler struct {
	self     int
	cgMark   string       // "/ocirun-bench-<id prefix>" in /proc/PID/cgroup
	program  fileID       // the container program, excluded
	known    map[int]bool // pid → belongs to the runtime
	pageSize int64
	peak     memPeak
	done     chan struct{}
	finished chan struct{}
}

const sampleEvery = 2 * time.Millisecond

// memPeak is the peak summed memory of a runtime's processes, in bytes.
type memPeak struct{ rss, pss int64 }

// fileID identifies a file by device and inode.
type fileID struct{ dev, ino uint64 }

func statID(path string) (fileID, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return fileID{}, fmt.Errorf("stat %s: %w", path, err)
	}
	return fileID{dev: st.Dev, ino: st.Ino}, nil
}

func newRSSSampler(idPrefix string, program fileID) *rssSampler {
	return &rssSampler{
		self:     os.Getpid(),
		cgMark:   "/" + cgroupPrefix + idPrefix,
		program:  program,
		known:    map[int]bool{},
		pageSize: int64(os.Getpagesize()),
		done:     make(chan struct{}),
		finished: make(chan struct{}),
	}
}

// startRSSSampler samples in the background until stop.
func startRSSSampler(idPrefix string, program fileID) *rssSampler {
	s := newRSSSampler(idPrefix, program)
	go s.loop()
	return s
}

func (s *rssSampler) loop() {
	defer close(s.finished)
	tick := time.NewTicker(sampleEvery)
	defer tick.Stop()
	for {
		now := s.sample()
		s.peak = memPeak{rss: max(s.peak.rss, now.rss), pss: max(s.peak.pss, now.pss)}
		select {
		case <-s.done:
			return
		case <-tick.C:
		}
	}
}

// stop ends sampling and returns the peaks.
func (s *rssSampler) stop() memPeak {
	close(s.done)
	<-s.finished
	return s.peak
}

// sample returns the summed RSS and PSS of the runtime's processes now.
func (s *rssSampler) sample() memPeak {
	var total memPeak
	d, err := os.Open("/proc")
	if err != nil {
		return total
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil || pid == s.self {
			continue
		}
		if s.belongs(pid) && !s.runsProgram(pid) {
			total.rss += s.rss(pid)
			total.pss += pss(pid)
		}
	}
	return total
}

// belongs classifies a pid once; /proc lists pids in increasing order, so
// a parent is normally classified before its children.
func (s *rssSampler) belongs(pid int) bool {
	if v, ok := s.known[pid]; ok {
		return v
	}
	ppid := parentPid(pid)
	v := ppid == s.self || s.known[ppid] || s.inBenchCgroup(pid)
	s.known[pid] = v
	return v
}

func (s *rssSampler) inBenchCgroup(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cgroup")
	return err == nil && bytes.Contains(b, []byte(s.cgMark))
}

func (s *rssSampler) runsProgram(pid int) bool {
	id, err := statID("/proc/" + strconv.Itoa(pid) + "/exe")
	return err != nil || id == s.program
}

// rss is the resident set of pid in bytes (0 if it is gone).
func (s *rssSampler) rss(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * s.pageSize
}

// parentPid reads the ppid from /proc/PID/stat (the field after the
// command name, which may itself contain spaces and parentheses).
func parentPid(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	end := bytes.LastIndexByte(b, ')')
	if end < 0 {
		return 0
	}
	f := strings.Fields(string(b[end+1:]))
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// pss is the proportional set size of pid in bytes (0 if it is gone).
func pss(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "Pss:"); ok {
			f := strings.Fields(rest) // "<n> kB"
			if len(f) == 0 {
				return 0
			}
			kb, _ := strconv.ParseInt(f[0], 10, 64)
			return kb * 1024
		}
	}
	return 0
}
