// Package libcontainer creates and manages OCI containers: the core of
// ocirun. A container is built from a configs.Config (see package specconv
// to get one from an OCI config.json), lives in a state directory under a
// root directory, and is managed by later, independent calls (there is no
// daemon): Create, Load, Start, Signal, Destroy, List.
//
// A binary that uses this package must call Init first thing in main when
// os.Args[1] is "init": the container's init process is that same binary
// re-executed (see libcontainer/internal/syncproto for the process model).
package libcontainer
