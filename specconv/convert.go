package specconv

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// Options carries the command-line settings that are not part of config.json.
type Options struct {
	// ID is the container's name. Not used by the conversion itself; kept
	// so callers have one place for per-container settings.
	ID string
	// Bundle is the absolute bundle directory; relative root.path and bind
	// mount sources are resolved against it.
	Bundle string
	// NoPivotRoot and NoNewKeyring mirror runc's --no-pivot and
	// --no-new-keyring flags.
	NoPivotRoot, NoNewKeyring bool
}

// Convert validates spec and returns the container config and init process.
func Convert(spec *specs.Spec, opts Options) (*configs.Config, *configs.Process, error) {
	if spec == nil {
		return nil, nil, errors.New("config.json: missing")
	}
	if !filepath.IsAbs(opts.Bundle) {
		return nil, nil, fmt.Errorf("bundle: %q is not an absolute path", opts.Bundle)
	}
	if err := checkVersion(spec.Version); err != nil {
		return nil, nil, err
	}
	if spec.Linux == nil {
		return nil, nil, errors.New("linux: missing")
	}
	if err := rejectUnsupportedLinux(spec.Linux); err != nil {
		return nil, nil, err
	}
	process, err := convertProcess(spec.Process)
	if err != nil {
		return nil, nil, err
	}
	config, err := convertConfig(spec, opts)
	if err != nil {
		return nil, nil, err
	}
	return config, process, nil
}

// convertConfig builds everything but the process, one section at a time.
func convertConfig(spec *specs.Spec, opts Options) (*configs.Config, error) {
	config := &configs.Config{
		OCIVersion:   spec.Version,
		NoPivotRoot:  opts.NoPivotRoot,
		NoNewKeyring: opts.NoNewKeyring,
		Hooks:        spec.Hooks,
		Annotations:  copyStringMap(spec.Annotations),
		MountLabel:   spec.Linux.MountLabel,
	}
	steps := []func(*specs.Spec, string, *configs.Config) error{
		convertRoot,
		convertNamespaces,
		convertIDMappings,
		convertHostname,
		convertSysctl,
		convertMounts,
		convertDevices,
		convertRootPropagation,
		convertPathLists,
		convertCgroups,
		convertDeviceRules,
		convertSeccomp,
		convertNetDevices,
		convertTimeOffsets,
		convertLinuxAttrs,
	}
	for _, step := range steps {
		if err := step(spec, opts.Bundle, config); err != nil {
			return nil, err
		}
	}
	return config, nil
}

// checkVersion accepts any 1.x config: the 1.x series is backwards compatible.
func checkVersion(version string) error {
	if version == "" {
		return errors.New("ociVersion: missing")
	}
	if !strings.HasPrefix(version, "1.") {
		return fmt.Errorf("ociVersion: unsupported version %q", version)
	}
	return nil
}

// rejectUnsupportedLinux fails on linux.* features this host or build
// cannot honour: silently ignoring them would be worse.
func rejectUnsupportedLinux(l *specs.Linux) error {
	return checkIntelRdt(l.IntelRdt)
}

// convertRoot resolves root.path to the absolute, symlink-free directory the
// init will pivot into.
func convertRoot(spec *specs.Spec, bundle string, config *configs.Config) error {
	if spec.Root == nil {
		return errors.New("root: missing")
	}
	if spec.Root.Path == "" {
		return errors.New("root.path: must not be empty")
	}
	path := spec.Root.Path
	if !filepath.IsAbs(path) {
		path = filepath.Join(bundle, path)
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("root.path: %s: %w", path, unwrapPathError(err))
	}
	if !info.IsDir() {
		return fmt.Errorf("root.path: %s is not a directory", path)
	}
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("root.path: resolving symlinks in %s: %w", path, unwrapPathError(err))
	}
	config.Rootfs = resolved
	config.Readonlyfs = spec.Root.Readonly
	return nil
}

// unwrapPathError drops the "stat <path>:" prefix of an *fs.PathError
// because our messages already name the path once.
func unwrapPathError(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	return err
}

// convertPathLists copies linux.maskedPaths and linux.readonlyPaths.
func convertPathLists(spec *specs.Spec, _ string, config *configs.Config) error {
	var err error
	if config.MaskPaths, err = absolutePaths("linux.maskedPaths", spec.Linux.MaskedPaths); err != nil {
		return err
	}
	config.ReadonlyPaths, err = absolutePaths("linux.readonlyPaths", spec.Linux.ReadonlyPaths)
	return err
}

func absolutePaths(field string, paths []string) ([]string, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(paths))
	for i, p := range paths {
		if !filepath.IsAbs(p) {
			return nil, fmt.Errorf("%s[%d]: %q is not an absolute path", field, i, p)
		}
		out = append(out, p)
	}
	return out, nil
}

// convertCgroups carries linux.cgroupsPath and linux.resources over; the
// cgroup manager interprets and applies them.
func convertCgroups(spec *specs.Spec, _ string, config *configs.Config) error {
	path := spec.Linux.CgroupsPath
	if hasDotDotComponent(path) {
		return errors.New(`linux.cgroupsPath: must not contain ".."`)
	}
	config.Cgroups = &configs.Cgroup{Path: path, Resources: spec.Linux.Resources}
	return nil
}

// hasDotDotComponent reports whether a cgroupfs path ("/a/b") or a systemd
// "slice:prefix:name" path has a ".." element that could escape the hierarchy.
func hasDotDotComponent(path string) bool {
	split := func(r rune) bool { return r == '/' || r == ':' }
	for _, part := range strings.FieldsFunc(path, split) {
		if part == ".." {
			return true
		}
	}
	return false
}

func copyStringMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
