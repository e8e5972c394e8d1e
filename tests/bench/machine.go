package main

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// machine describes where the numbers were taken.
type machine struct {
	Date     string
	CPUs     int
	CPUModel string
	MemoryGB string
	Kernel   string // uname -r
	OS       string
	Cgroups  string
	Versions map[string]string // runtime → first line of --version
	Go       string
	// LoadStart and LoadEnd are /proc/loadavg's first three fields.
	LoadStart, LoadEnd string
}

// loadAverage is the 1, 5 and 15 minute load average.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if err != nil || len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func describeMachine(binaries map[string]string) machine {
	m := machine{
		Date:     time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		CPUs:     runtime.NumCPU(),
		CPUModel: procField("/proc/cpuinfo", "model name", ":"),
		MemoryGB: memoryGB(),
		Kernel:   kernelRelease(),
		OS:       strings.Trim(procField("/etc/os-release", "PRETTY_NAME", "="), `"`),
		Cgroups:  cgroupLayout(),
		Versions: map[string]string{},
		Go:       runtime.Version(),
	}
	for name, bin := range binaries {
		m.Versions[name] = versionOf(bin)
	}
	return m
}

// procField is the value of the first "key<sep>value" line of a file.
func procField(path, key, sep string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), sep)
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func memoryGB() string {
	kb, err := strconv.ParseFloat(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal", ":"), " kB"), 64)
	if err != nil {
		return "unknown"
	}
	return strconv.FormatFloat(kb/1024/1024, 'f', 1, 64)
}

func kernelRelease() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "unknown"
	}
	return unix.ByteSliceToString(u.Release[:])
}

func cgroupLayout() string {
	var st unix.Statfs_t
	if unix.Statfs("/sys/fs/cgroup", &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		return "cgroup v2 (unified)"
	}
	if unix.Statfs(unifiedMount, &st) == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		return "hybrid (cgroup v1 controllers + cgroup2 at " + unifiedMount + " without controllers)"
	}
	return "cgroup v1"
}

// versionOf is `binary --version`, its lines joined with "; ".
func versionOf(binary string) string {
	out, err := exec.Command(binary, "--version").Output()
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(out)), "\n", " ; ")), " ")
}
