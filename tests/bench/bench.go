package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// workerStopTimeout bounds a worker's cleanup (500 containers to delete).
const workerStopTimeout = 5 * time.Minute

var errInterrupted = errors.New("interrupted: nothing reported")

// runBench is the driver: set up, check the protections, measure, clean
// up, and only then report.
func runBench(o options) (err error) {
	began, loadStart := time.Now(), loadAverage()
	p := o.plan()
	stop := newStopper()
	defer stop.release()
	ws, err := newWorkspace()
	if err != nil {
		return err
	}
	removed := false
	defer func() {
		if !removed {
			err = errors.Join(err, ws.remove())
		}
	}()
	logf("workspace %s", ws.dir)

	digest, err := prepare(o, ws, stop)
	if err != nil {
		return err
	}
	res, err := measure(o, p, ws, stop)
	if err != nil {
		return err
	}
	removed = true
	if err := ws.remove(); err != nil {
		return fmt.Errorf("after the bench: %w", err)
	}
	if now, err := fileSHA256(o.ocirun); err != nil || now != digest {
		return fmt.Errorf("ocirun binary %s changed during the bench: nothing reported", o.ocirun)
	}
	return report(o, p, res, time.Since(began), loadStart)
}

// prepare checks the ocirun binary, builds the bundles and checks the
// CVE-2019-5736 protection; it returns the binary's digest.
func prepare(o options, ws *workspace, stop *stopper) (string, error) {
	logf("checking that %s is built from %s", o.ocirun, o.repo)
	digest, err := checkProvenance(o.ocirun, o.repo, o.ldflags, ws.dir)
	if err != nil {
		return "", err
	}
	template, err := ws.buildTemplate(o.repo, o.ocirun)
	if err != nil {
		return "", err
	}
	for _, name := range runtimeNames {
		if err := ws.prepareRuntime(name, template); err != nil {
			return "", err
		}
	}
	if stop.interrupted() {
		return "", errInterrupted
	}
	logf("checking ocirun's CVE-2019-5736 protection")
	if err := ws.checkSeal(o.ocirun); err != nil {
		return "", err
	}
	return digest, nil
}

// checkSeal runs checkSeal with ocirun's state root and config.
func (ws *workspace) checkSeal(ocirun string) error {
	dir := ws.runtimeDir(rtOcirun)
	rt := &runtimeCLI{name: rtOcirun, binary: ocirun, root: filepath.Join(dir, "state")}
	b, err := loadBundles(filepath.Join(dir, "base.json"), filepath.Join(ws.dir, "seal"), ws.idPrefix(rtOcirun)+"seal-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(b.dir)
	c, err := newCall(filepath.Join(ws.dir, "seal.out"))
	if err != nil {
		return err
	}
	defer c.close()
	return checkSeal(rt, b, c, ocirun)
}

// measure starts the workers, runs the plan and stops the workers, which
// delete everything they made.
func measure(o options, p plan, ws *workspace, stop *stopper) (*results, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own binary: %w", err)
	}
	binaries := map[string]string{rtOcirun: o.ocirun, rtRunc: o.runc, rtCrun: o.crun}
	d := &driver{plan: p, workers: map[string]*workerProc{}, res: newResults(), log: logf}
	var measureErr error
	for _, name := range runtimeNames {
		w, err := startWorker(self, workerSpec{name: name, binary: binaries[name],
			dir: ws.runtimeDir(name), idPrefix: ws.idPrefix(name), privateNS: name == rtCrun && crunNeedsPrivateNS()})
		if err != nil {
			measureErr = err
			break
		}
		d.workers[name] = w
		stop.onStop(func() { w.cmd.Process.Signal(syscall.SIGTERM) })
	}
	if measureErr == nil {
		measureErr = d.measureAll()
	}
	if stop.interrupted() {
		// Whatever failed after the signal failed because of it.
		measureErr = errInterrupted
	}
	if measureErr == nil {
		logf("cleaning up")
		measureErr = d.cleanupAll()
	}
	var stopErrs []error
	for _, w := range d.workers {
		stopErrs = append(stopErrs, w.stop(measureErr != nil, workerStopTimeout))
	}
	if err := errors.Join(append([]error{measureErr}, stopErrs...)...); err != nil {
		return nil, err
	}
	if stop.interrupted() {
		return nil, errInterrupted
	}
	return d.res, nil
}

// crunNeedsPrivateNS: crun refuses a hybrid host, which has cgroup2
// mounted at /sys/fs/cgroup/unified next to the v1 controllers.
func crunNeedsPrivateNS() bool {
	var st syscall.Statfs_t
	return syscall.Statfs(unifiedMount, &st) == nil && st.Type == 0x63677270 // CGROUP2_SUPER_MAGIC
}

// report prints the table and writes benchmarks.md and benchmarks.svg.
func report(o options, p plan, res *results, wall time.Duration, loadStart string) error {
	rows := reportRows(p)
	t := buildTable(res, rows)
	m := describeMachine(map[string]string{rtOcirun: o.ocirun, rtRunc: o.runc, rtCrun: o.crun})
	m.LoadStart, m.LoadEnd = loadStart, loadAverage()
	title := fmt.Sprintf("ocirun vs runc vs crun (crun = 1.0), %s, %d cores, kernel %s", m.CPUModel, m.CPUs, m.Kernel)
	svg, err := chartSVG(res, rows, title)
	if err != nil {
		return err
	}
	doc := reportDoc{machine: m, plan: p, table: t, chart: "benchmarks.svg",
		crunNS: crunNeedsPrivateNS(), wallTime: wall.Round(time.Second).String()}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(o.out, "benchmarks.svg"), svg, 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(o.out, "benchmarks.md"), []byte(doc.markdown()), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Printf("\n%s\n(bench wall time %s; written to %s)\n", t.text(), doc.wallTime, filepath.Join(o.out, "benchmarks.md"))
	return nil
}
