package main

import (
	"fmt"
	"slices"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// The bench measures runtimes with their protections on. These are the
// protections of `ocirun spec`'s default config that a faster-looking
// configuration could drop; checkConfig refuses a bundle without them.
var (
	defaultCaps        = []string{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"}
	requiredNamespaces = []specs.LinuxNamespaceType{specs.PIDNamespace, specs.NetworkNamespace,
		specs.IPCNamespace, specs.UTSNamespace, specs.MountNamespace}
	requiredMasked = []string{"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
		"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
		"/sys/firmware", "/proc/scsi"}
	requiredReadonly = []string{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}
	readonlyMounts   = []string{"/sys", "/sys/fs/cgroup"}
)

// checkConfig returns an error naming the first config field that
// disables a protection.
func checkConfig(s *specs.Spec) error {
	for _, check := range []func(*specs.Spec) error{
		checkRoot, checkProcess, checkNamespaces, checkPaths, checkDevices, checkMounts,
	} {
		if err := check(s); err != nil {
			return fmt.Errorf("bundle config disables a protection, refusing to benchmark it: %w", err)
		}
	}
	return nil
}

func checkRoot(s *specs.Spec) error {
	if s.Root == nil || !s.Root.Readonly {
		return fmt.Errorf("root.readonly: must be true")
	}
	return nil
}

func checkProcess(s *specs.Spec) error {
	p := s.Process
	if p == nil {
		return fmt.Errorf("process: missing")
	}
	if !p.NoNewPrivileges {
		return fmt.Errorf("process.noNewPrivileges: must be true")
	}
	if p.Capabilities == nil {
		return fmt.Errorf("process.capabilities: missing (the runtime's defaults are not pinned)")
	}
	sets := map[string][]string{
		"bounding": p.Capabilities.Bounding, "effective": p.Capabilities.Effective,
		"permitted": p.Capabilities.Permitted, "inheritable": p.Capabilities.Inheritable,
		"ambient": p.Capabilities.Ambient,
	}
	for name, set := range sets {
		for _, c := range set {
			if !slices.Contains(defaultCaps, c) {
				return fmt.Errorf("process.capabilities.%s: %s is beyond the default set %v", name, c, defaultCaps)
			}
		}
	}
	return nil
}

func checkNamespaces(s *specs.Spec) error {
	if s.Linux == nil {
		return fmt.Errorf("linux: missing")
	}
	for _, want := range requiredNamespaces {
		i := slices.IndexFunc(s.Linux.Namespaces, func(ns specs.LinuxNamespace) bool { return ns.Type == want })
		if i < 0 {
			return fmt.Errorf("linux.namespaces: no new %s namespace", want)
		}
		if s.Linux.Namespaces[i].Path != "" {
			return fmt.Errorf("linux.namespaces[%d].path: joins the %s namespace %s instead of a new one", i, want, s.Linux.Namespaces[i].Path)
		}
	}
	return nil
}

func checkPaths(s *specs.Spec) error {
	for _, p := range requiredMasked {
		if !slices.Contains(s.Linux.MaskedPaths, p) {
			return fmt.Errorf("linux.maskedPaths: %s is not masked", p)
		}
	}
	for _, p := range requiredReadonly {
		if !slices.Contains(s.Linux.ReadonlyPaths, p) {
			return fmt.Errorf("linux.readonlyPaths: %s is not read-only", p)
		}
	}
	return nil
}

func checkDevices(s *specs.Spec) error {
	r := s.Linux.Resources
	if r == nil || len(r.Devices) == 0 {
		return fmt.Errorf("linux.resources.devices: missing the deny-all first rule")
	}
	d := r.Devices[0]
	if d.Allow || d.Access != "rwm" || d.Type != "" || d.Major != nil || d.Minor != nil {
		return fmt.Errorf("linux.resources.devices[0]: must deny all devices (allow false, access rwm)")
	}
	return nil
}

func checkMounts(s *specs.Spec) error {
	for _, dest := range readonlyMounts {
		i := slices.IndexFunc(s.Mounts, func(m specs.Mount) bool { return m.Destination == dest })
		if i < 0 {
			return fmt.Errorf("mounts: no %s mount", dest)
		}
		if !slices.Contains(s.Mounts[i].Options, "ro") {
			return fmt.Errorf("mounts[%d].options: %s must be read-only", i, dest)
		}
	}
	return nil
}
