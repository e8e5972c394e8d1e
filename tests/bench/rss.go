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

// rssSampler sums the resident memory (VmRSS, read from /proc/PID/statm)
// of every process of one runtime every sampleEvery and keeps the maximum.
//
// A process belongs to the runtime when it descends from the worker (the
// runtime CLIs and what they fork) or sits in one of this worker's
// container cgroups (an init waiting for `start` after its `create` has
// exited and it was reparented) — unless it already runs the container's
// program (busybox), which is the workload, not the runtime. Pages shared
// between processes (the binary's text) count once per process, as in ps.
type rssSampler struct {
	self     int
	cgMark   string       // "/ocirun-bench-<id prefix>" in /proc/PID/cgroup
	program  fileID       // the container program, excluded
	known    map[int]bool // pid → belongs to the runtime
	pageSize int64
	peak     int64
	done     chan struct{}
	finished chan struct{}
}

const sampleEvery = 2 * time.Millisecond

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
		s.peak = max(s.peak, s.sample())
		select {
		case <-s.done:
			return
		case <-tick.C:
		}
	}
}

// stop ends sampling and returns the peak in bytes.
func (s *rssSampler) stop() int64 {
	close(s.done)
	<-s.finished
	return s.peak
}

// sample returns the summed RSS of the runtime's processes right now.
func (s *rssSampler) sample() int64 {
	d, err := os.Open("/proc")
	if err != nil {
		return 0
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var total int64
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil || pid == s.self {
			continue
		}
		if s.belongs(pid) && !s.runsProgram(pid) {
			total += s.rss(pid)
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
