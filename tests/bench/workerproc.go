package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// workerProc is the driver's handle on one worker process.
type workerProc struct {
	name   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	in     *lineWriter
	out    *lineReader
	exited chan struct{} // closed once the process is reaped
	err    error         // its exit status, valid after exited
}

// workerSpec says how to start one runtime's worker.
type workerSpec struct {
	name      string
	binary    string
	dir       string
	idPrefix  string
	privateNS bool // crun on a hybrid host: no /sys/fs/cgroup/unified
}

// unifiedMount is the cgroup2 mount of a hybrid host that crun refuses.
const unifiedMount = "/sys/fs/cgroup/unified"

// startWorker starts `bench worker` for spec. The worker gets its own
// process group so a Ctrl-C in the terminal reaches only the driver, which
// then stops the workers in order (each cleans up after itself).
func startWorker(self string, spec workerSpec) (*workerProc, error) {
	args := []string{"worker", "-runtime", spec.name, "-binary", spec.binary,
		"-dir", spec.dir, "-id-prefix", spec.idPrefix}
	cmd := exec.Command(self, args...)
	if spec.privateNS {
		// One mount namespace for the whole worker, so crun's numbers do
		// not include an unshare+sh+umount per command. Cgroup writes still
		// reach the host's v1 hierarchies. crun also makes a directory per
		// container below "unified" for the "0::" line of
		// /proc/self/cgroup: a private tmpfs there keeps those off the
		// host's /sys/fs/cgroup tmpfs, where they would hide, unremovable,
		// under the host's cgroup2 mount. crun cannot rmdir them (they hold
		// a file), so they pile up until the worker's cleanup: a few KiB each.
		script := `umount ` + unifiedMount + ` && mount -t tmpfs -o size=256m,nr_inodes=0,mode=0755 bench-unified ` +
			unifiedMount + ` && exec "$@"`
		cmd = exec.Command("unshare", append([]string{"--mount", "--propagation", "private", "--",
			"sh", "-c", script, "sh", self}, args...)...)
	}
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("worker %s: %w", spec.name, err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("worker %s: %w", spec.name, err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start worker %s: %w", spec.name, err)
	}
	w := &workerProc{name: spec.name, cmd: cmd, stdin: stdin,
		in: newLineWriter(stdin), out: newLineReader(stdout), exited: make(chan struct{})}
	go func() {
		w.err = cmd.Wait()
		close(w.exited)
	}()
	return w, nil
}

// do sends one request and waits for its response.
func (w *workerProc) do(req Request) (Response, error) {
	if err := w.in.send(req); err != nil {
		return Response{}, fmt.Errorf("worker %s: %w", w.name, err)
	}
	var resp Response
	if err := w.out.recv(&resp); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("worker exited without answering")
		}
		return Response{}, fmt.Errorf("worker %s, %s: %w", w.name, req.Op, err)
	}
	if resp.Error != "" {
		return Response{}, errors.New(resp.Error)
	}
	return resp, nil
}

// stop asks the worker to clean up and exit: quit when it is idle; with
// interrupt (a signal or an error elsewhere) SIGTERM first, so that a long
// operation stops between two runtime invocations. It waits up to
// timeout, then kills the worker.
func (w *workerProc) stop(interrupt bool, timeout time.Duration) error {
	if interrupt {
		w.cmd.Process.Signal(syscall.SIGTERM)
	}
	w.in.send(Request{Op: opQuit})
	w.stdin.Close()
	select {
	case <-w.exited:
	case <-time.After(timeout):
		w.cmd.Process.Kill()
		<-w.exited
		return fmt.Errorf("worker %s: no exit after %v, killed (its containers may leak)", w.name, timeout)
	}
	if w.err != nil {
		return fmt.Errorf("worker %s: %w", w.name, w.err)
	}
	return nil
}
