// Package configs holds ocirun's internal container configuration: the
// resolved, validated form of an OCI config.json that the parent hands to the
// container's init process. Embedders may build a Config directly or convert
// an OCI spec with the specconv package.
package configs

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// NamespaceType names a Linux namespace using the runtime-spec spelling
// ("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time").
type NamespaceType string

// The namespace types ocirun knows.
const (
	NEWPID    NamespaceType = "pid"
	NEWNET    NamespaceType = "network"
	NEWNS     NamespaceType = "mount"
	NEWIPC    NamespaceType = "ipc"
	NEWUTS    NamespaceType = "uts"
	NEWUSER   NamespaceType = "user"
	NEWCGROUP NamespaceType = "cgroup"
	NEWTIME   NamespaceType = "time"
)

// Namespace is a namespace the container gets: a new one when Path is empty,
// otherwise the existing namespace at Path is joined.
type Namespace struct {
	Type NamespaceType `json:"type"`
	Path string        `json:"path,omitempty"`
}

// IDMap is one line of a uid_map or gid_map.
type IDMap struct {
	ContainerID uint32 `json:"container_id"`
	HostID      uint32 `json:"host_id"`
	Size        uint32 `json:"size"`
}

// Mount is one entry of config.json's mounts, with its options parsed.
type Mount struct {
	// Source is the host path for bind mounts, the device or a label otherwise.
	Source string `json:"source"`
	// Destination is the absolute path inside the container.
	Destination string `json:"destination"`
	// Device is the filesystem type; "bind" for bind mounts.
	Device string `json:"device"`
	// Flags are the MS_* flags to mount with (MS_BIND, MS_REC, MS_RDONLY...).
	Flags int `json:"flags"`
	// ClearedFlags are MS_* flags the options explicitly turned off
	// (e.g. "rw", "suid"); needed when remounting binds.
	ClearedFlags int `json:"cleared_flags,omitempty"`
	// PropagationFlags are applied one by one after the mount
	// (MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE, each maybe |MS_REC).
	PropagationFlags []int `json:"propagation_flags,omitempty"`
	// Data is the filesystem-specific option string (e.g. "mode=755,size=65536k").
	Data string `json:"data,omitempty"`
	// RecAttrSet/RecAttrClr are MOUNT_ATTR_* bits applied recursively with
	// mount_setattr ("rro", "rnosuid", ...).
	RecAttrSet uint64 `json:"rec_attr_set,omitempty"`
	RecAttrClr uint64 `json:"rec_attr_clr,omitempty"`
	// UIDMappings/GIDMappings make a bind mount idmapped through a user
	// namespace with these mappings (written like linux.uidMappings): an id
	// X on disk is seen as the host id X maps to, and written back as X.
	UIDMappings []IDMap `json:"uid_mappings,omitempty"`
	GIDMappings []IDMap `json:"gid_mappings,omitempty"`
	// IDMapRecursive idmaps every mount of an rbind ("ridmap"), not only
	// the top one ("idmap").
	IDMapRecursive bool `json:"idmap_recursive,omitempty"`
	// IDMapUserns is filled in by the parent: the path of a user namespace
	// with UIDMappings/GIDMappings, given to MOUNT_ATTR_IDMAP.
	IDMapUserns string `json:"idmap_userns,omitempty"`
	// IDMapTree is set in the init only: its fd of the detached idmapped
	// tree the parent made for this mount.
	IDMapTree int `json:"-"`
}

// IsIDMapped reports whether the mount is an idmapped bind mount.
func (m *Mount) IsIDMapped() bool { return len(m.UIDMappings) > 0 }

// IsBind reports whether the mount is a bind mount.
func (m *Mount) IsBind() bool { return m.Flags&msBind != 0 }

const msBind = 0x1000 // unix.MS_BIND, kept here so configs stays dependency-free

// Device is a device node to create inside the container's /dev.
type Device struct {
	// Type is 'c' (char), 'b' (block) or 'p' (fifo).
	Type     rune   `json:"type"`
	Path     string `json:"path"`
	Major    int64  `json:"major"`
	Minor    int64  `json:"minor"`
	FileMode uint32 `json:"file_mode"`
	UID      uint32 `json:"uid"`
	GID      uint32 `json:"gid"`
}

// Rlimit is one process resource limit (RLIMIT_* number, soft and hard).
type Rlimit struct {
	Type int    `json:"type"`
	Hard uint64 `json:"hard"`
	Soft uint64 `json:"soft"`
}

// Capabilities lists capability names ("CAP_CHOWN", ...) per set.
type Capabilities struct {
	Bounding    []string `json:"bounding,omitempty"`
	Effective   []string `json:"effective,omitempty"`
	Inheritable []string `json:"inheritable,omitempty"`
	Permitted   []string `json:"permitted,omitempty"`
	Ambient     []string `json:"ambient,omitempty"`
}

// User is the identity the container process runs as.
type User struct {
	UID            uint32   `json:"uid"`
	GID            uint32   `json:"gid"`
	AdditionalGids []uint32 `json:"additional_gids,omitempty"`
	Umask          *uint32  `json:"umask,omitempty"`
}

// Process is the program to run in the container (the init's, or an exec's).
type Process struct {
	Args            []string      `json:"args"`
	Env             []string      `json:"env,omitempty"`
	Cwd             string        `json:"cwd"`
	User            User          `json:"user"`
	Capabilities    *Capabilities `json:"capabilities,omitempty"`
	Rlimits         []Rlimit      `json:"rlimits,omitempty"`
	NoNewPrivileges bool          `json:"no_new_privileges,omitempty"`
	OomScoreAdj     *int          `json:"oom_score_adj,omitempty"`
	Terminal        bool          `json:"terminal,omitempty"`
	// ConsoleSize is the initial terminal size (terminal issue).
	ConsoleSize *specs.Box `json:"console_size,omitempty"`
	// Scheduler is process.scheduler; nil leaves the inherited policy.
	Scheduler *SchedAttr `json:"scheduler,omitempty"`
	// IOPriority is process.ioPriority as an ioprio_set(2) value.
	IOPriority *int `json:"io_priority,omitempty"`
	// CPUAffinity is process.execCPUAffinity (exec'd processes only).
	CPUAffinity *CPUAffinity `json:"cpu_affinity,omitempty"`
	// ApparmorProfile is the AppArmor profile the program is exec'd
	// under (process.apparmorProfile, exec --apparmor).
	ApparmorProfile string `json:"apparmor_profile,omitempty"`
	// SelinuxLabel is the SELinux label the program is exec'd with
	// (process.selinuxLabel, exec --process-label).
	SelinuxLabel string `json:"selinux_label,omitempty"`
}

// Cgroup says where the container's cgroup lives and what limits it gets.
type Cgroup struct {
	// Path is config.json's linux.cgroupsPath: absolute, relative to the
	// runtime's own cgroup, or empty for the default (<own cgroup>/<id>).
	Path string `json:"path"`
	// Resources are the limits to write (the cgroups issue); nil means none.
	Resources *specs.LinuxResources `json:"resources,omitempty"`
}

// Config is everything the container init needs to build the container.
type Config struct {
	// OCIVersion is the config's ociVersion, reported back in state.
	OCIVersion string `json:"oci_version"`
	// Rootfs is the absolute host path of the container's root filesystem.
	Rootfs string `json:"rootfs"`
	// Readonlyfs makes the root filesystem read-only (root.readonly).
	Readonlyfs bool `json:"readonlyfs,omitempty"`
	// RootPropagation is the MS_* propagation applied to / before mounting
	// (linux.rootfsPropagation); 0 means the default MS_SLAVE|MS_REC.
	RootPropagation int `json:"root_propagation,omitempty"`
	// NoPivotRoot uses MS_MOVE+chroot instead of pivot_root (--no-pivot).
	NoPivotRoot bool `json:"no_pivot_root,omitempty"`
	// Personality is the personality(2) value (linux.personality).
	Personality *uint64 `json:"personality,omitempty"`
	// MemoryPolicy is linux.memoryPolicy.
	MemoryPolicy *MemoryPolicy `json:"memory_policy,omitempty"`
	// TimeOffsets shift the clocks of a new time namespace
	// (linux.timeOffsets: "monotonic", "boottime").
	TimeOffsets map[string]specs.LinuxTimeOffset `json:"time_offsets,omitempty"`
	// NetDevices maps host network interfaces to their names in the
	// container (linux.netDevices).
	NetDevices map[string]string `json:"net_devices,omitempty"`
	// RootlessCgroups: cgroups the caller may not write are not used
	// (--rootless), unless the config asks for resource limits.
	RootlessCgroups bool `json:"rootless_cgroups,omitempty"`
	// NoNewKeyring keeps the caller's session keyring (--no-new-keyring).
	NoNewKeyring bool     `json:"no_new_keyring,omitempty"`
	Mounts       []*Mount `json:"mounts,omitempty"`
	// Devices are created in /dev (the defaults plus linux.devices) when
	// the container has its own /dev (i.e. /dev is not bind-mounted).
	Devices       []*Device         `json:"devices,omitempty"`
	MaskPaths     []string          `json:"mask_paths,omitempty"`
	ReadonlyPaths []string          `json:"readonly_paths,omitempty"`
	Namespaces    []Namespace       `json:"namespaces,omitempty"`
	UIDMappings   []IDMap           `json:"uid_mappings,omitempty"`
	GIDMappings   []IDMap           `json:"gid_mappings,omitempty"`
	Hostname      string            `json:"hostname,omitempty"`
	Domainname    string            `json:"domainname,omitempty"`
	Sysctl        map[string]string `json:"sysctl,omitempty"`
	Cgroups       *Cgroup           `json:"cgroups,omitempty"`
	Annotations   map[string]string `json:"annotations,omitempty"`
	// Hooks are the OCI lifecycle hooks.
	Hooks *specs.Hooks `json:"hooks,omitempty"`
	// Seccomp is the syscall filter (linux.seccomp); nil means none.
	Seccomp *Seccomp `json:"seccomp,omitempty"`
	// CgroupMounts describe the host's cgroup hierarchies for a "cgroup"
	// mount. Filled by the runtime from its cgroup manager once the init is
	// placed, so the init never re-reads the host's cgroup layout.
	CgroupMounts []CgroupMount `json:"cgroup_mounts,omitempty"`
	// MountLabel is the SELinux context given to the container's
	// label-able mounts (linux.mountLabel); unused without SELinux.
	MountLabel string `json:"mount_label,omitempty"`
}

// CgroupMount is one host cgroup hierarchy as a container's cgroup mount
// shows it.
type CgroupMount struct {
	// Dir is the entry's name under the mount ("cpu,cpuacct", "systemd",
	// "unified"); empty on a pure cgroup v2 host, where the hierarchy is
	// mounted at the destination itself.
	Dir string `json:"dir,omitempty"`
	// FSType is "cgroup" (v1) or "cgroup2".
	FSType string `json:"fstype"`
	// Options are the v1 controllers, for a fresh mount in a new cgroup
	// namespace.
	Options string `json:"options,omitempty"`
	// HostPath is the container's cgroup directory in the hierarchy, bind
	// mounted without a new cgroup namespace.
	HostPath string `json:"host_path"`
}

// Namespace returns the config's entry for t and whether there is one.
func (c *Config) Namespace(t NamespaceType) (Namespace, bool) {
	for _, ns := range c.Namespaces {
		if ns.Type == t {
			return ns, true
		}
	}
	return Namespace{}, false
}

// NewNamespace reports whether the container gets a fresh namespace of
// type t (listed without a path), as opposed to joining one or sharing
// the runtime's.
func (c *Config) NewNamespace(t NamespaceType) bool {
	ns, ok := c.Namespace(t)
	return ok && ns.Path == ""
}
