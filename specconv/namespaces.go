package specconv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// convertNamespaces validates linux.namespaces, including that every path
// to join really is a namespace of the declared type.
func convertNamespaces(spec *specs.Spec, _ string, config *configs.Config) error {
	seen := map[configs.NamespaceType]bool{}
	for i, ns := range spec.Linux.Namespaces {
		t := configs.NamespaceType(ns.Type)
		if _, ok := t.CloneFlag(); !ok {
			return fmt.Errorf("linux.namespaces[%d].type: unknown namespace type %q", i, ns.Type)
		}
		if seen[t] {
			return fmt.Errorf("linux.namespaces[%d]: duplicate namespace %q", i, ns.Type)
		}
		seen[t] = true
		if ns.Path != "" {
			if err := checkNamespacePath(ns.Path, t); err != nil {
				return fmt.Errorf("linux.namespaces[%d].path: %w", i, err)
			}
		}
		config.Namespaces = append(config.Namespaces, configs.Namespace{Type: t, Path: ns.Path})
	}
	if !seen[configs.NEWNS] {
		return errors.New("linux.namespaces: a mount namespace is required")
	}
	return nil
}

// checkNamespacePath verifies that path is a namespace file (nsfs) of type t.
func checkNamespacePath(path string, t configs.NamespaceType) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("%q is not an absolute path", path)
	}
	// The path ends up in a newline-separated message to nsenter.
	if strings.ContainsAny(path, "\n\x00") {
		return fmt.Errorf("%q must not contain a newline or NUL byte", path)
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	// nsfs files stat as regular files; refusing anything else means we
	// never open a FIFO or device node just to validate a config.
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a namespace", path)
	}
	nsType, err := namespaceFileType(path)
	if err != nil {
		return err
	}
	if want, _ := t.CloneFlag(); uintptr(nsType) != want {
		return fmt.Errorf("%s is not a %s namespace", path, t)
	}
	return nil
}

// namespaceFileType returns the CLONE_NEW* type of the namespace file at path.
func namespaceFileType(path string) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK|unix.O_NOCTTY, 0)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer unix.Close(fd)
	nsType, err := unix.IoctlRetInt(fd, unix.NS_GET_NSTYPE)
	if errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.EINVAL) {
		return 0, fmt.Errorf("%s is not a namespace", path)
	}
	if err != nil {
		return 0, fmt.Errorf("ioctl NS_GET_NSTYPE on %s: %w", path, err)
	}
	return nsType, nil
}

// hasNamespace reports whether the container gets its own (new or joined)
// namespace of type t rather than the runtime's.
func hasNamespace(config *configs.Config, t configs.NamespaceType) bool {
	_, ok := config.Namespace(t)
	return ok
}
