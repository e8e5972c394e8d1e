// Command runbundle is the smallest program that embeds libcontainer: it
// runs the OCI bundle given as its argument in the foreground, the way
// `ocirun run` does, and exits with the container's exit code.
//
//	go build -o runbundle ./examples/runbundle
//	sudo ./runbundle /path/to/bundle
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ocirun/ocirun/libcontainer"
	"github.com/ocirun/ocirun/specconv"
)

func main() {
	// The container's init is this binary re-executed as "runbundle init".
	if len(os.Args) > 1 && os.Args[1] == "init" {
		libcontainer.Init()
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: runbundle BUNDLE")
		os.Exit(2)
	}
	code, err := run(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "runbundle:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(bundle string) (int, error) {
	bundle, err := filepath.Abs(bundle)
	if err != nil {
		return -1, err
	}
	spec, err := specconv.LoadSpec(bundle)
	if err != nil {
		return -1, err
	}
	id := "runbundle-" + strconv.Itoa(os.Getpid())
	cfg, proc, err := specconv.Convert(spec, specconv.Options{ID: id, Bundle: bundle})
	if err != nil {
		return -1, err
	}
	return libcontainer.Run(libcontainer.CreateOptions{
		Root: "/run/runbundle", ID: id, Bundle: bundle, Config: cfg, Process: proc,
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
	}, false)
}
