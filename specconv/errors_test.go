package specconv

import (
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// TestConvertErrors checks that each invalid config is rejected with an
// error naming the offending field.
func TestConvertErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*specs.Spec)
		want   []string
	}{
		{"no version", func(s *specs.Spec) { s.Version = "" }, []string{"ociVersion"}},
		{"bad version", func(s *specs.Spec) { s.Version = "2.0" }, []string{`ociVersion: unsupported version "2.0"`}},
		{"no root", func(s *specs.Spec) { s.Root = nil }, []string{"root: missing"}},
		{"empty root path", func(s *specs.Spec) { s.Root.Path = "" }, []string{"root.path"}},
		{"missing rootfs", func(s *specs.Spec) { s.Root.Path = "nope" }, []string{"root.path:", "nope: no such file or directory"}},
		{"rootfs not dir", func(s *specs.Spec) { s.Root.Path = "/etc/hostname" }, []string{"root.path: /etc/hostname is not a directory"}},
		{"no process", func(s *specs.Spec) { s.Process = nil }, []string{"process: missing"}},
		{"no args", func(s *specs.Spec) { s.Process.Args = nil }, []string{"process.args: must not be empty"}},
		{"empty arg0", func(s *specs.Spec) { s.Process.Args = []string{""} }, []string{"process.args[0]"}},
		{"relative cwd", func(s *specs.Spec) { s.Process.Cwd = "x" }, []string{`process.cwd: "x" is not an absolute path`}},
		{"bad env", func(s *specs.Spec) { s.Process.Env = []string{"A=1", "B"} }, []string{"process.env[1]"}},
		{"empty env name", func(s *specs.Spec) { s.Process.Env = []string{"=1"} }, []string{"process.env[0]"}},
		{"unknown rlimit", func(s *specs.Spec) {
			s.Process.Rlimits = append(s.Process.Rlimits, specs.POSIXRlimit{Type: "RLIMIT_CORE"}, specs.POSIXRlimit{Type: "RLIMIT_FOO"})
		}, []string{`process.rlimits[2].type: unknown rlimit "RLIMIT_FOO"`}},
		{"duplicate rlimit", func(s *specs.Spec) {
			s.Process.Rlimits = append(s.Process.Rlimits, s.Process.Rlimits[0])
		}, []string{"process.rlimits[1].type", "duplicate"}},
		{"soft above hard", func(s *specs.Spec) { s.Process.Rlimits[0].Soft = 2048 }, []string{"process.rlimits[0]", "soft"}},
		{"oom too low", func(s *specs.Spec) { s.Process.OOMScoreAdj = intPtr(-1001) }, []string{"process.oomScoreAdj"}},
		{"oom too high", func(s *specs.Spec) { s.Process.OOMScoreAdj = intPtr(1001) }, []string{"process.oomScoreAdj"}},
		{"scheduler policy", func(s *specs.Spec) { s.Process.Scheduler = &specs.Scheduler{} }, []string{`process.scheduler.policy: unknown policy ""`}},
		{"scheduler priority", func(s *specs.Spec) { s.Process.Scheduler = &specs.Scheduler{Policy: specs.SchedFIFO} }, []string{"process.scheduler.priority: 0: must be 1..99"}},
		{"scheduler nice", func(s *specs.Spec) { s.Process.Scheduler = &specs.Scheduler{Policy: specs.SchedOther, Nice: 20} }, []string{"process.scheduler.nice: 20 is outside -20..19"}},
		{"scheduler flag", func(s *specs.Spec) {
			s.Process.Scheduler = &specs.Scheduler{Policy: specs.SchedBatch, Flags: []specs.LinuxSchedulerFlag{"SCHED_FLAG_X"}}
		}, []string{`process.scheduler.flags[0]: unknown flag "SCHED_FLAG_X"`}},
		{"ioPriority class", func(s *specs.Spec) { s.Process.IOPriority = &specs.LinuxIOPriority{} }, []string{`process.ioPriority.class: unknown class ""`}},
		{"ioPriority level", func(s *specs.Spec) {
			s.Process.IOPriority = &specs.LinuxIOPriority{Class: specs.IOPRIO_CLASS_BE, Priority: 8}
		}, []string{"process.ioPriority.priority: 8 is outside 0..7"}},
		{"execCPUAffinity", func(s *specs.Spec) { s.Process.ExecCPUAffinity = &specs.CPUAffinity{Final: "3-1"} }, []string{`process.execCPUAffinity.final: invalid list "3-1"`}},
		{"no linux", func(s *specs.Spec) { s.Linux = nil }, []string{"linux: missing"}},
		{"seccomp", func(s *specs.Spec) { s.Linux.Seccomp = &specs.LinuxSeccomp{} }, []string{"linux.seccomp.defaultAction: missing"}},
		{"intelRdt", func(s *specs.Spec) { s.Linux.IntelRdt = &specs.LinuxIntelRdt{} }, []string{"linux.intelRdt: the resctrl filesystem is not mounted at /sys/fs/resctrl"}},
		{"personality", func(s *specs.Spec) { s.Linux.Personality = &specs.LinuxPersonality{} }, []string{`linux.personality.domain: unknown domain ""`}},
		{"timeOffsets without timens", func(s *specs.Spec) {
			s.Linux.TimeOffsets = map[string]specs.LinuxTimeOffset{"boottime": {}}
		}, []string{"linux.timeOffsets: needs a new time namespace"}},
		{"timeOffsets clock", func(s *specs.Spec) {
			s.Linux.Namespaces = append(s.Linux.Namespaces, specs.LinuxNamespace{Type: specs.TimeNamespace})
			s.Linux.TimeOffsets = map[string]specs.LinuxTimeOffset{"realtime": {}}
		}, []string{`linux.timeOffsets["realtime"]: unknown clock`}},
		{"timeOffsets nanosecs", func(s *specs.Spec) {
			s.Linux.Namespaces = append(s.Linux.Namespaces, specs.LinuxNamespace{Type: specs.TimeNamespace})
			s.Linux.TimeOffsets = map[string]specs.LinuxTimeOffset{"monotonic": {Nanosecs: 1e9}}
		}, []string{`linux.timeOffsets["monotonic"].nanosecs: 1000000000 is not below`}},
		{"netDevices name", func(s *specs.Spec) {
			s.Linux.NetDevices = map[string]specs.LinuxNetDevice{"eth0": {Name: "a-name-of-16-chr"}}
		}, []string{`linux.netDevices["eth0"]: interface name "a-name-of-16-chr" is longer than 15 bytes`}},
		{"netDevices clash", func(s *specs.Spec) {
			s.Linux.NetDevices = map[string]specs.LinuxNetDevice{"eth0": {Name: "x"}, "eth1": {Name: "x"}}
		}, []string{`name "x" is also given to`}},
		{"netDevices without netns", func(s *specs.Spec) {
			s.Linux.NetDevices = map[string]specs.LinuxNetDevice{"eth0": {}}
			s.Linux.Namespaces = removeNamespace(s.Linux.Namespaces, specs.NetworkNamespace)
		}, []string{"linux.netDevices: needs a network namespace"}},
		{"memoryPolicy mode", func(s *specs.Spec) { s.Linux.MemoryPolicy = &specs.LinuxMemoryPolicy{} }, []string{`linux.memoryPolicy.mode: unknown mode ""`}},
		{"memoryPolicy nodes", func(s *specs.Spec) { s.Linux.MemoryPolicy = &specs.LinuxMemoryPolicy{Mode: specs.MpolBind} }, []string{"linux.memoryPolicy.nodes: MPOL_BIND takes a node list"}},
		{"unknown namespace", func(s *specs.Spec) {
			s.Linux.Namespaces[3].Type = "foo"
		}, []string{`linux.namespaces[3].type: unknown namespace type "foo"`}},
		{"duplicate namespace", func(s *specs.Spec) {
			s.Linux.Namespaces[4].Type = "pid"
		}, []string{`linux.namespaces[4]: duplicate namespace "pid"`}},
		{"no mount namespace", func(s *specs.Spec) {
			s.Linux.Namespaces = s.Linux.Namespaces[:4]
		}, []string{"linux.namespaces: a mount namespace is required"}},
		{"wrong namespace path", func(s *specs.Spec) {
			s.Linux.Namespaces[1].Path = "/proc/self/ns/ipc"
		}, []string{"linux.namespaces[1].path: /proc/self/ns/ipc is not a network namespace"}},
		{"uid mappings without userns", func(s *specs.Spec) {
			s.Linux.UIDMappings = []specs.LinuxIDMapping{{Size: 1}}
		}, []string{"linux.uidMappings"}},
		{"gid mappings without userns", func(s *specs.Spec) {
			s.Linux.GIDMappings = []specs.LinuxIDMapping{{Size: 1}}
		}, []string{"linux.gidMappings"}},
		{"userns without uid mappings", func(s *specs.Spec) {
			s.Linux.Namespaces = append(s.Linux.Namespaces, specs.LinuxNamespace{Type: "user"})
		}, []string{"linux.uidMappings: required with a new user namespace"}},
		{"userns without gid mappings", func(s *specs.Spec) {
			ToRootless(s)
			s.Linux.GIDMappings = nil
		}, []string{"linux.gidMappings: required with a new user namespace"}},
		{"zero-size mapping", func(s *specs.Spec) {
			ToRootless(s)
			s.Linux.UIDMappings[0].Size = 0
		}, []string{"linux.uidMappings[0].size"}},
		{"hostname without uts", func(s *specs.Spec) {
			s.Linux.Namespaces = removeNamespace(s.Linux.Namespaces, "uts")
		}, []string{"hostname: requires a new uts namespace"}},
		{"hostname with the host's uts", func(s *specs.Spec) {
			s.Linux.Namespaces[3].Path = "/proc/self/ns/uts"
		}, []string{"hostname: requires a uts namespace other than the host's"}},
		{"domainname without uts", func(s *specs.Spec) {
			s.Hostname = ""
			s.Domainname = "example.org"
			s.Linux.Namespaces = removeNamespace(s.Linux.Namespaces, "uts")
		}, []string{"domainname: requires a new uts namespace"}},
		{"sysctl not namespaced", func(s *specs.Spec) {
			s.Linux.Sysctl = map[string]string{"vm.swappiness": "1"}
		}, []string{`linux.sysctl: "vm.swappiness" is not namespaced`}},
		{"sysctl with slash", func(s *specs.Spec) {
			s.Linux.Sysctl = map[string]string{"net/ipv4/ip_forward": "1"}
		}, []string{"linux.sysctl", "net/ipv4/ip_forward"}},
		{"sysctl with dotdot", func(s *specs.Spec) {
			s.Linux.Sysctl = map[string]string{"net..x": "1"}
		}, []string{"linux.sysctl", "net..x"}},
		{"net sysctl without netns", func(s *specs.Spec) {
			s.Linux.Namespaces = removeNamespace(s.Linux.Namespaces, "network")
			s.Linux.Sysctl = map[string]string{"net.ipv4.ip_forward": "1"}
		}, []string{"linux.sysctl", `include "network"`}},
		{"ipc sysctl without ipcns", func(s *specs.Spec) {
			s.Linux.Namespaces = removeNamespace(s.Linux.Namespaces, "ipc")
			s.Linux.Sysctl = map[string]string{"kernel.msgmax": "1"}
		}, []string{"linux.sysctl", `include "ipc"`}},
		{"uts sysctl without utsns", func(s *specs.Spec) {
			s.Hostname = ""
			s.Linux.Namespaces = removeNamespace(s.Linux.Namespaces, "uts")
			s.Linux.Sysctl = map[string]string{"kernel.hostname": "x"}
		}, []string{"linux.sysctl", `include "uts"`}},
		{"relative mount destination", func(s *specs.Spec) {
			s.Mounts[2].Destination = "tmp"
		}, []string{`mounts[2].destination: "tmp" is not an absolute path`}},
		{"mount without type", func(s *specs.Spec) { s.Mounts[1].Type = "" }, []string{"mounts[1].type"}},
		{"bind without source", func(s *specs.Spec) {
			s.Mounts = append(s.Mounts, specs.Mount{Destination: "/x", Type: "bind"})
		}, []string{"mounts[7].source"}},
		{"tmpcopyup", func(s *specs.Spec) {
			s.Mounts[1].Options = append(s.Mounts[1].Options, "tmpcopyup")
		}, []string{`mounts[1].options: "tmpcopyup" is not supported yet`}},
		{"idmap option", func(s *specs.Spec) {
			s.Mounts[1].Options = append(s.Mounts[1].Options, "ridmap")
		}, []string{"mounts[1].options: idmap and ridmap need a bind mount"}},
		{"idmapped mount", func(s *specs.Spec) {
			s.Mounts[1].UIDMappings = []specs.LinuxIDMapping{{Size: 1}}
		}, []string{"mounts[1].uidMappings"}},
		{"device outside /dev", func(s *specs.Spec) {
			s.Linux.Devices = []specs.LinuxDevice{{Path: "/etc/x", Type: "c", Major: 1, Minor: 1}}
		}, []string{"linux.devices[0].path"}},
		{"device path escaping /dev", func(s *specs.Spec) {
			s.Linux.Devices = []specs.LinuxDevice{{Path: "/dev/../etc/x", Type: "c", Major: 1, Minor: 1}}
		}, []string{"linux.devices[0].path"}},
		{"relative device", func(s *specs.Spec) {
			s.Linux.Devices = []specs.LinuxDevice{{Path: "dev/x", Type: "c", Major: 1, Minor: 1}}
		}, []string{"linux.devices[0].path"}},
		{"unknown device type", func(s *specs.Spec) {
			s.Linux.Devices = []specs.LinuxDevice{{Path: "/dev/x", Type: "z", Major: 1, Minor: 1}}
		}, []string{`linux.devices[0].type: unknown device type "z"`}},
		{"device without numbers", func(s *specs.Spec) {
			s.Linux.Devices = []specs.LinuxDevice{{Path: "/dev/x", Type: "b"}}
		}, []string{"linux.devices[0].major"}},
		{"negative device number", func(s *specs.Spec) {
			s.Linux.Devices = []specs.LinuxDevice{{Path: "/dev/x", Type: "c", Major: -1, Minor: 1}}
		}, []string{"linux.devices[0].major: -1"}},
		{"negative minor", func(s *specs.Spec) {
			s.Linux.Devices = []specs.LinuxDevice{{Path: "/dev/x", Type: "c", Major: 1, Minor: -2}}
		}, []string{"linux.devices[0].minor: -2"}},
		{"duplicate device", func(s *specs.Spec) {
			d := specs.LinuxDevice{Path: "/dev/x", Type: "p"}
			s.Linux.Devices = []specs.LinuxDevice{d, d}
		}, []string{"linux.devices[1].path", "duplicate"}},
		{"bad rootfsPropagation", func(s *specs.Spec) {
			s.Linux.RootfsPropagation = "sideways"
		}, []string{`linux.rootfsPropagation: unknown propagation "sideways"`}},
		{"relative masked path", func(s *specs.Spec) {
			s.Linux.MaskedPaths = append(s.Linux.MaskedPaths, "proc/x")
		}, []string{"linux.maskedPaths[10]"}},
		{"relative readonly path", func(s *specs.Spec) {
			s.Linux.ReadonlyPaths[0] = "proc/bus"
		}, []string{"linux.readonlyPaths[0]"}},
		{"cgroupsPath dotdot", func(s *specs.Spec) {
			s.Linux.CgroupsPath = "/a/../../b"
		}, []string{`linux.cgroupsPath: must not contain ".."`}},
		{"systemd cgroupsPath dotdot", func(s *specs.Spec) {
			s.Linux.CgroupsPath = "system.slice:ocirun:.."
		}, []string{"linux.cgroupsPath"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantErrContaining(t, convertExampleWith(t, tc.mutate), tc.want...)
		})
	}
}

func removeNamespace(namespaces []specs.LinuxNamespace, t specs.LinuxNamespaceType) []specs.LinuxNamespace {
	var out []specs.LinuxNamespace
	for _, ns := range namespaces {
		if ns.Type != t {
			out = append(out, ns)
		}
	}
	return out
}
