package initproc

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	libseccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/seccomp"
)

// These tests load real filters with loadSeccomp, in a re-executed test
// binary (a filter cannot be removed), and report what each probe syscall
// returned there.

const (
	envProgram = "OCIRUN_TEST_SECCOMP_PROGRAM"
	envMode    = "OCIRUN_TEST_SECCOMP_MODE"
)

// goRuntime are the syscalls the Go runtime may make on the filtered
// thread between loading and exiting.
var goRuntime = []string{
	"read", "write", "openat", "close", "exit", "exit_group", "futex", "rt_sigreturn",
	"rt_sigprocmask", "rt_sigaction", "sigaltstack", "sched_yield", "nanosleep", "getpid",
	"gettid", "tgkill", "mmap", "munmap", "madvise", "clock_gettime", "epoll_pwait",
	"fcntl", "fstat", "newfstatat", "getrandom",
}

func uintp(v uint) *uint { return &v }

func TestLoadSeccompErrnoAndEnosys(t *testing.T) {
	control := probe(t, nil, "plain")
	want := map[string]string{"mkdirat": "ENOENT", "cachestat": "EBADF", "clone3": "EINVAL", "getpid": "ok"}
	expectProbes(t, "without a filter", control, want)

	cfg := &configs.Seccomp{
		DefaultAction: configs.SeccompAction(specs.ActErrno),
		Syscalls: []configs.SeccompSyscall{{
			Names:  append(goRuntime, "faccessat2"),
			Action: configs.SeccompAction(specs.ActAllow),
		}},
	}
	got := probe(t, cfg, "plain")
	// mkdirat is older than faccessat2, the profile's newest syscall:
	// the default's EPERM. cachestat and clone3 are newer: ENOSYS.
	want = map[string]string{"mkdirat": "EPERM", "cachestat": "ENOSYS", "clone3": "ENOSYS", "getpid": "ok"}
	expectProbes(t, "errno default", got, want)
}

func TestLoadSeccompArgs(t *testing.T) {
	cfg := &configs.Seccomp{
		DefaultAction: configs.SeccompAction(specs.ActAllow),
		Syscalls: []configs.SeccompSyscall{{
			Names: []string{"personality"}, Action: configs.SeccompAction(specs.ActErrno), ErrnoRet: uintp(5),
			Args: []configs.SeccompArg{{Index: 0, Value: 0xffffffff, Op: configs.SeccompOperator(specs.OpEqualTo)}},
		}},
	}
	expectProbes(t, "args rule", probe(t, cfg, "plain"), map[string]string{"personality-query": "EIO", "personality-0": "ok"})
}

func TestLoadSeccompTsync(t *testing.T) {
	cfg := &configs.Seccomp{
		DefaultAction: configs.SeccompAction(specs.ActAllow),
		Flags:         []string{"SECCOMP_FILTER_FLAG_TSYNC"},
		Syscalls:      []configs.SeccompSyscall{{Names: []string{"mkdirat"}, Action: configs.SeccompAction(specs.ActErrno)}},
	}
	got := probe(t, cfg, "threads")
	if got["unfiltered-threads"] != "0" {
		t.Fatalf("threads without the filter after TSYNC: %s", got["unfiltered-threads"])
	}
	cfg.Flags = nil
	got = probe(t, cfg, "threads")
	if got["unfiltered-threads"] == "0" {
		t.Fatal("without TSYNC every thread got the filter: the probe proves nothing")
	}
}

func TestLoadSeccompNotify(t *testing.T) {
	cfg := &configs.Seccomp{
		DefaultAction: configs.SeccompAction(specs.ActAllow),
		ListenerPath:  "/unused",
		Syscalls:      []configs.SeccompSyscall{{Names: []string{"mkdirat"}, Action: configs.SeccompAction(specs.ActNotify)}},
	}
	got := probe(t, cfg, "notify")
	// The helper's own agent answers EACCES and saw mkdirat.
	expectProbes(t, "notify", got, map[string]string{"mkdirat": "EACCES", "notified": "mkdirat", "getpid": "ok"})
}

func TestDecodeFilterRejectsBadSizes(t *testing.T) {
	for _, n := range []int{0, 7, 9} {
		if _, err := decodeFilter(make([]byte, n)); err == nil {
			t.Errorf("decodeFilter accepted %d bytes", n)
		}
	}
}

// probe runs the helper with cfg compiled (nil: no filter) and returns
// its probe results.
func probe(t *testing.T, cfg *configs.Seccomp, mode string) map[string]string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSeccompHelper$")
	cmd.Env = append(os.Environ(), envMode+"="+mode)
	if cfg != nil {
		prog, err := seccomp.Compile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(prog)
		cmd.Env = append(cmd.Env, envProgram+"="+string(b))
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	results := make(map[string]string)
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			results[k] = v
		}
	}
	return results
}

func expectProbes(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %q, want %q (all: %v)", what, k, got[k], v, got)
		}
	}
}

// TestSeccompHelper is the re-executed helper; a no-op in a normal run.
func TestSeccompHelper(t *testing.T) {
	mode := os.Getenv(envMode)
	if mode == "" {
		return
	}
	runtime.LockOSThread()
	var prog *configs.SeccompProgram
	if s := os.Getenv(envProgram); s != "" {
		prog = new(configs.SeccompProgram)
		if err := json.Unmarshal([]byte(s), prog); err != nil {
			fail(err)
		}
	}
	var results []string
	switch mode {
	case "plain":
		load(prog)
		results = plainProbes()
	case "threads":
		results = threadProbe(prog)
	case "notify":
		results = notifyProbe(prog)
	}
	os.Stdout.WriteString(strings.Join(results, "\n") + "\n")
	os.Exit(0)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "helper:", err)
	os.Exit(2)
}

// load sets no_new_privs (as an unprivileged init would) and loads prog.
func load(prog *configs.SeccompProgram) int {
	if prog == nil {
		return -1
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		fail(err)
	}
	fd, err := loadSeccomp(prog)
	if err != nil {
		fail(err)
	}
	return fd
}

func result(name string, errno unix.Errno) string {
	if errno == 0 {
		return name + "=ok"
	}
	return name + "=" + unix.ErrnoName(errno)
}

func plainProbes() []string {
	path := []byte("/nonexistent-ocirun-test/dir\x00")
	atFdcwd := unix.AT_FDCWD
	_, _, e1 := unix.RawSyscall(unix.SYS_MKDIRAT, uintptr(atFdcwd), uintptr(unsafe.Pointer(&path[0])), 0o700)
	_, _, e2 := unix.RawSyscall6(451, ^uintptr(0), 0, 0, 0, 0, 0) // cachestat(-1, ...)
	_, _, e3 := unix.RawSyscall(unix.SYS_CLONE3, 0, 0, 0)
	_, _, e4 := unix.RawSyscall(unix.SYS_PERSONALITY, 0xffffffff, 0, 0)
	_, _, e5 := unix.RawSyscall(unix.SYS_PERSONALITY, 0, 0, 0)
	_, _, e6 := unix.RawSyscall(unix.SYS_GETPID, 0, 0, 0)
	return []string{
		result("mkdirat", e1), result("cachestat", e2), result("clone3", e3),
		result("personality-query", e4), result("personality-0", e5), result("getpid", e6),
	}
}

// threadProbe loads prog after starting threads and counts the threads
// still without a filter.
func threadProbe(prog *configs.SeccompProgram) []string {
	for i := 0; i < 4; i++ {
		go func() { runtime.LockOSThread(); select {} }()
	}
	load(prog)
	tasks, _ := filepath.Glob("/proc/self/task/*/status")
	unfiltered := 0
	for _, path := range tasks {
		b, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(b), "\nSeccomp:\t0\n") {
			unfiltered++
		}
	}
	return []string{fmt.Sprintf("unfiltered-threads=%d", unfiltered)}
}

// notifyProbe acts as its own seccomp agent: a thread started before the
// filter (so unfiltered) answers the filtered thread's mkdirat.
func notifyProbe(prog *configs.SeccompProgram) []string {
	fds := make(chan int)
	seen := make(chan string, 1)
	go func() {
		runtime.LockOSThread()
		fd := <-fds
		for {
			// ENOENT: the runtime's preemption signal interrupted the
			// filtered mkdirat, which is then retried with a new id.
			req, err := libseccomp.NotifReceive(libseccomp.ScmpFd(fd))
			if errors.Is(err, unix.ENOENT) {
				continue
			}
			if err != nil {
				fail(err)
			}
			resp := &libseccomp.ScmpNotifResp{ID: req.ID, Error: int32(unix.EACCES)}
			err = libseccomp.NotifRespond(libseccomp.ScmpFd(fd), resp)
			if errors.Is(err, unix.ENOENT) {
				continue
			}
			if err != nil {
				fail(err)
			}
			name, _ := req.Data.Syscall.GetName()
			seen <- name
			return
		}
	}()
	fd := load(prog)
	if fd < 0 {
		fail(fmt.Errorf("no notify fd"))
	}
	fds <- fd
	results := plainProbes()[:1]
	results = append(results, "notified="+<-seen, result("getpid", 0))
	return results
}
