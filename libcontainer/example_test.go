package libcontainer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer"
	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/specconv"
)

// TestMain makes this test binary usable as a container init, as an
// embedder's main must (see Init), and skips everything when containers
// cannot be made here: the examples run real containers.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "init" {
		libcontainer.Init()
	}
	if os.Geteuid() != 0 {
		fmt.Println("skipping libcontainer tests and examples: they need root")
		os.Exit(0)
	}
	if _, err := os.Stat("/bin/busybox"); err != nil {
		fmt.Println("skipping libcontainer tests and examples: /bin/busybox (busybox-static) is missing")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// exampleOptions makes a busybox bundle in a temporary directory and the
// options to create a container from it that runs args. The container's
// cgroup is an absolute path, never below the caller's own cgroup.
func exampleOptions(id string, args ...string) (libcontainer.CreateOptions, func()) {
	dir, err := os.MkdirTemp("", "ocirun-example-")
	if err != nil {
		panic(err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	rootfs := filepath.Join(dir, "rootfs")
	for _, d := range []string{"bin", "proc", "sys", "dev", "tmp"} {
		os.MkdirAll(filepath.Join(rootfs, d), 0o755)
	}
	data, err := os.ReadFile("/bin/busybox")
	if err == nil {
		err = os.WriteFile(filepath.Join(rootfs, "bin/busybox"), data, 0o755)
	}
	for _, applet := range []string{"sh", "echo", "sleep", "cat"} {
		os.Symlink("busybox", filepath.Join(rootfs, "bin", applet))
	}
	spec := specconv.Example()
	spec.Process.Terminal = false
	spec.Process.Args = args
	spec.Linux.CgroupsPath = "/ocirun-example-" + id
	cfg, proc, err2 := specconv.Convert(spec, specconv.Options{ID: id, Bundle: dir})
	if err == nil {
		err = err2
	}
	if err != nil {
		cleanup()
		panic(err)
	}
	return libcontainer.CreateOptions{
		Root: filepath.Join(dir, "state"), ID: id, Bundle: dir,
		Config: cfg, Process: proc, Stdout: os.Stdout, Stderr: os.Stderr,
	}, cleanup
}

// Run creates a container, runs its program to the end and removes it.
func ExampleRun() {
	opts, cleanup := exampleOptions(fmt.Sprint("run-", os.Getpid()), "echo", "hello from a container")
	defer cleanup()
	code, err := libcontainer.Run(opts, false)
	if err != nil {
		fmt.Println("run:", err)
		return
	}
	fmt.Println("exit code", code)
	// Output:
	// hello from a container
	// exit code 0
}

// The lifecycle an engine drives: create, start, exec into the running
// container, signal it, wait for it and destroy it.
func ExampleContainer_Exec() {
	opts, cleanup := exampleOptions(fmt.Sprint("exec-", os.Getpid()), "sleep", "100")
	defer cleanup()
	ctr, err := libcontainer.Create(opts)
	if err != nil {
		fmt.Println("create:", err)
		return
	}
	defer ctr.Destroy(true)
	fmt.Println("after create:", ctr.Status())
	if err := ctr.Start(); err != nil {
		fmt.Println("start:", err)
		return
	}
	fmt.Println("after start:", ctr.Status())
	// What `ocirun state` prints, read without loading the whole config.
	if st, err := libcontainer.LoadState(opts.Root, opts.ID); err == nil {
		fmt.Println("state:", st.ID == opts.ID, st.Status, st.Pid == ctr.Pid())
	}
	code, err := ctr.Exec(libcontainer.ExecOptions{
		Process: &configs.Process{
			Args: []string{"sh", "-c", "echo exec sees pid 1: $(cat /proc/1/cmdline)"},
			Env:  []string{"PATH=/bin"}, Cwd: "/",
		},
		Stdout: os.Stdout, Stderr: os.Stderr,
	})
	fmt.Println("exec exit code", code, err)
	if err := ctr.Signal(unix.SIGKILL, false); err != nil {
		fmt.Println("signal:", err)
		return
	}
	code, err = ctr.Wait()
	fmt.Println("init exit code", code, err)
	fmt.Println("after kill:", ctr.Status())
	// Output:
	// after create: created
	// after start: running
	// state: true running true
	// exec sees pid 1: sleep100
	// exec exit code 0 <nil>
	// init exit code 137 <nil>
	// after kill: stopped
}
