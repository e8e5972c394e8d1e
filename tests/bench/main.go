// Command bench measures ocirun against runc and crun on the same busybox
// bundle (issue 8) and writes docs/benchmarks.md and docs/benchmarks.svg.
//
// Usage (as root, from the repository; `make bench` does all of this):
//
//	bench [-quick] [-ocirun bin/ocirun] [-runc runc] [-crun crun] [-out docs]
//
// The driver starts one worker per runtime (`bench worker ...`, the same
// binary) and asks them for batches of measurements in interleaved rounds;
// see driver.go for the measurements and markdown.go for the method.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// options are the driver's flags.
type options struct {
	repo, out          string
	ocirun, runc, crun string
	ldflags            string
	quick              bool
	iterations         int
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		if err := workerMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "bench worker:", err)
			os.Exit(1)
		}
		return
	}
	opts, err := parseOptions(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if err := runBench(opts); err != nil {
		fmt.Fprintln(os.Stderr, "bench: FAILED:", err)
		os.Exit(1)
	}
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.repo, "repo", ".", "the ocirun source tree (for build-bundle.sh and the provenance check)")
	fs.StringVar(&o.out, "out", "docs", "directory for benchmarks.md and benchmarks.svg")
	fs.StringVar(&o.ocirun, "ocirun", "bin/ocirun", "ocirun binary, built from -repo")
	fs.StringVar(&o.runc, "runc", "runc", "runc binary")
	fs.StringVar(&o.crun, "crun", "crun", "crun binary")
	fs.StringVar(&o.ldflags, "ldflags", "", "the -ldflags ocirun was built with (default: the Makefile's, from VERSION and git HEAD)")
	fs.BoolVar(&o.quick, "quick", false, "few iterations and no 500 level, for development")
	fs.IntVar(&o.iterations, "iterations", 0, "iterations of measurements 1-3 (default 100, or 12 with -quick)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if os.Geteuid() != 0 {
		return o, errors.New("must run as root (it creates containers)")
	}
	var err error
	if o.repo, err = filepath.Abs(o.repo); err != nil {
		return o, err
	}
	for _, p := range []*string{&o.ocirun, &o.runc, &o.crun} {
		if *p, err = resolveBinary(*p); err != nil {
			return o, err
		}
	}
	if o.ldflags == "" {
		o.ldflags = defaultLdflags(o.repo)
	}
	return o, nil
}

// resolveBinary makes a runtime path absolute: a bare name is looked up in
// PATH, anything else is taken relative to the current directory.
func resolveBinary(p string) (string, error) {
	if filepath.Base(p) == p {
		found, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%s: not installed (make bench installs Debian's runc and crun): %w", p, err)
		}
		p = found
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("runtime binary: %w", err)
	}
	return abs, nil
}

func (o options) plan() plan {
	p := fullPlan()
	if o.quick {
		p = quickPlan()
	}
	if o.iterations > 0 {
		p.Iterations = o.iterations
	}
	return p
}
