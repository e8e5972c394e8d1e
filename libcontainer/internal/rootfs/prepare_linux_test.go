package rootfs

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/sys/mountinfo"
	"golang.org/x/sys/unix"

	"github.com/ocirun/ocirun/cgroups"
	"github.com/ocirun/ocirun/libcontainer/configs"
)

const (
	envRootfs  = "OCIRUN_ROOTFS_TEST_ROOTFS"
	envBindSrc = "OCIRUN_ROOTFS_TEST_BINDSRC"
	envHostDir = "OCIRUN_ROOTFS_TEST_HOSTDIR"
)

const (
	fsFlags  = unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC
	bindFile = "hostfile"
	bindText = "from the host\n"
)

func init() {
	scenarios["full"] = func() error { return fullScenario(true) }
	scenarios["cgroup-bind"] = func() error { return fullScenario(false) }
	scenarios["nopivot-shared"] = noPivotSharedScenario
}

func defaultDevices() []*configs.Device {
	dev := func(name string, minor int64) *configs.Device {
		return &configs.Device{Type: 'c', Path: "/dev/" + name, Major: 1, Minor: minor, FileMode: 0o666}
	}
	return []*configs.Device{dev("null", 3), dev("zero", 5), dev("full", 7), dev("random", 8), dev("urandom", 9),
		{Type: 'c', Path: "/dev/tty", Major: 5, Minor: 0, FileMode: 0o666, GID: 5}}
}

// fullConfig is a config like `runc spec` produces, plus binds and a ro tmpfs.
func fullConfig(rootfs, bindSrc string, cgroupns bool) *configs.Config {
	cfg := &configs.Config{
		Rootfs:     rootfs,
		Readonlyfs: true,
		Mounts: []*configs.Mount{
			{Source: "proc", Destination: "/proc", Device: "proc", Flags: fsFlags},
			{Source: "tmpfs", Destination: "/dev", Device: "tmpfs", Flags: unix.MS_NOSUID | unix.MS_STRICTATIME, Data: "mode=755,size=65536k"},
			{Source: "devpts", Destination: "/dev/pts", Device: "devpts", Flags: unix.MS_NOSUID | unix.MS_NOEXEC, Data: "newinstance,ptmxmode=0666,mode=0620"},
			{Source: "shm", Destination: "/dev/shm", Device: "tmpfs", Flags: fsFlags, Data: "mode=1777,size=65536k"},
			{Source: "mqueue", Destination: "/dev/mqueue", Device: "mqueue", Flags: fsFlags},
			{Source: "sysfs", Destination: "/sys", Device: "sysfs", Flags: fsFlags | unix.MS_RDONLY},
			{Source: "cgroup", Destination: "/sys/fs/cgroup", Device: "cgroup", Flags: fsFlags | unix.MS_RELATIME | unix.MS_RDONLY},
			{Source: bindSrc, Destination: "/data", Device: "bind", Flags: unix.MS_BIND | unix.MS_REC | unix.MS_RDONLY,
				PropagationFlags: []int{unix.MS_PRIVATE}},
			{Source: filepath.Join(bindSrc, bindFile), Destination: "/etc/hostfile", Device: "bind", Flags: unix.MS_BIND},
			{Source: "tmpfs", Destination: "/rotmp", Device: "tmpfs", Flags: unix.MS_RDONLY},
			{Source: bindSrc, Destination: "/rrodata", Device: "bind", Flags: unix.MS_BIND | unix.MS_REC,
				RecAttrSet: unix.MOUNT_ATTR_RDONLY},
		},
		Devices:       defaultDevices(),
		MaskPaths:     []string{"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/acpi", "/sys/firmware", "/proc/no-such-thing"},
		ReadonlyPaths: []string{"/proc/sys", "/proc/sysrq-trigger", "/proc/bus"},
		Namespaces:    []configs.Namespace{{Type: configs.NEWNS}, {Type: configs.NEWPID}},
	}
	if cgroupns {
		cfg.Namespaces = append(cfg.Namespaces, configs.Namespace{Type: configs.NEWCGROUP})
	}
	return cfg
}

func TestPrepareFullRootfs(t *testing.T) {
	runChild(t, "full", unix.CLONE_NEWCGROUP, fullEnv(t)...)
}

func TestPrepareCgroupBind(t *testing.T) {
	runChild(t, "cgroup-bind", 0, fullEnv(t)...)
}

func fullEnv(t *testing.T) []string {
	bindSrc := t.TempDir()
	if err := os.WriteFile(filepath.Join(bindSrc, bindFile), []byte(bindText), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{envRootfs + "=" + makeRootfs(t), envBindSrc + "=" + bindSrc}
}

func fullScenario(cgroupns bool) error {
	// Read before the pivot: the host's view of our memory cgroup.
	hostCg, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return err
	}
	cfg := fullConfig(os.Getenv(envRootfs), os.Getenv(envBindSrc), cgroupns)
	// What the parent would give: the host's hierarchies with our cgroups.
	own, err := cgroups.OwnPaths()
	if err != nil {
		return err
	}
	if cfg.CgroupMounts, err = cgroups.Mounts(own); err != nil {
		return err
	}
	if err := Prepare(cfg, Options{Cwd: "/"}); err != nil {
		return err
	}
	if err := RestrictPaths(cfg); err != nil {
		return err
	}
	c := &checks{}
	checkRoot(c)
	checkMounts(c, cgroupns, string(hostCg))
	checkDev(c)
	checkRestricted(c)
	if out, err := exec.Command("/bin/busybox", "cat", "/etc/hostfile").CombinedOutput(); err != nil || string(out) != bindText {
		c.failf("busybox cat /etc/hostfile: %q, %v", out, err)
	}
	return c.err()
}

func checkRoot(c *checks) {
	if wd, err := os.Getwd(); err != nil || wd != "/" {
		c.failf("cwd = %q, %v; want /", wd, err)
	}
	wantErrno(c, "create /newfile (readonly rootfs)", os.WriteFile("/newfile", nil, 0o644), unix.EROFS)
	wantErrno(c, "create /data/new (ro bind)", os.WriteFile("/data/new", nil, 0o644), unix.EROFS)
	wantErrno(c, "create /rrodata/new (rro bind)", os.WriteFile("/rrodata/new", nil, 0o644), unix.EROFS)
	wantErrno(c, "create /rotmp/new (ro tmpfs)", os.WriteFile("/rotmp/new", nil, 0o644), unix.EROFS)
	if err := os.WriteFile("/dev/shm/new", []byte("x"), 0o644); err != nil {
		c.failf("write to /dev/shm: %v", err)
	}
	if b, err := os.ReadFile("/data/" + bindFile); err != nil || string(b) != bindText {
		c.failf("read /data/%s: %q, %v", bindFile, b, err)
	}
}

func wantErrno(c *checks, what string, err, want error) {
	if !errors.Is(err, want) {
		c.failf("%s: got %v, want %v", what, err, want)
	}
}

func mountsByPoint(c *checks) map[string]*mountinfo.Info {
	ms, err := mountinfo.GetMounts(nil)
	if err != nil {
		c.failf("read mountinfo: %v", err)
		return nil
	}
	byPoint := map[string]*mountinfo.Info{}
	for _, m := range ms {
		byPoint[m.Mountpoint] = m // later (upper) mounts win
	}
	return byPoint
}

func checkMounts(c *checks, cgroupns bool, hostCg string) {
	ms := mountsByPoint(c)
	want := map[string]string{
		"/": "", "/proc": "proc", "/dev": "tmpfs", "/dev/pts": "devpts", "/dev/shm": "tmpfs",
		"/dev/mqueue": "mqueue", "/sys": "sysfs", "/sys/fs/cgroup": "tmpfs", "/rotmp": "tmpfs",
		"/sys/fs/cgroup/memory": "cgroup", "/sys/fs/cgroup/unified": "cgroup2", "/sys/fs/cgroup/systemd": "cgroup",
		"/data": "", "/etc/hostfile": "", "/proc/sys": "proc", "/sys/firmware": "tmpfs",
		"/proc/acpi": "tmpfs", "/proc/keys": "tmpfs", "/proc/timer_list": "tmpfs",
	}
	for point, fstype := range want {
		m, ok := ms[point]
		if !ok {
			c.failf("no mount at %s", point)
		} else if fstype != "" && m.FSType != fstype {
			c.failf("mount at %s is %s, want %s", point, m.FSType, fstype)
		}
	}
	for _, ro := range []string{"/", "/data", "/sys", "/sys/fs/cgroup", "/sys/fs/cgroup/memory", "/proc/sys", "/rotmp"} {
		if m := ms[ro]; m != nil && !hasOpt(m.Options, "ro") {
			c.failf("%s mounted %s, want ro", ro, m.Options)
		}
	}
	if m := ms["/data"]; m != nil && strings.Contains(m.Optional, "shared") {
		c.failf("/data propagation %q, want private", m.Optional)
	}
	checkCgroup(c, ms["/sys/fs/cgroup/memory"], cgroupns, hostCg)
}

func hasOpt(opts, opt string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == opt {
			return true
		}
	}
	return false
}

// checkCgroup: in a new cgroup namespace the memory hierarchy's root is
// our own cgroup; otherwise our host cgroup directory is bind-mounted.
func checkCgroup(c *checks, mem *mountinfo.Info, cgroupns bool, hostCg string) {
	procs, err := os.ReadFile("/sys/fs/cgroup/memory/cgroup.procs")
	if err != nil || !hasLine(string(procs), "1") {
		c.failf("/sys/fs/cgroup/memory/cgroup.procs = %q, %v; want to list pid 1", procs, err)
	}
	wantErrno(c, "mkdir in ro /sys/fs/cgroup", os.Mkdir("/sys/fs/cgroup/x", 0o755), unix.EROFS)
	if mem == nil || cgroupns {
		return
	}
	if want := memoryCgroup(hostCg); mem.Root != want {
		c.failf("memory bind root %q, want our cgroup %q", mem.Root, want)
	}
}

// memoryCgroup is the path of the "N:memory:/path" line of /proc/self/cgroup.
func memoryCgroup(procCgroup string) string {
	for _, l := range strings.Split(procCgroup, "\n") {
		if parts := strings.SplitN(l, ":", 3); len(parts) == 3 && parts[1] == "memory" {
			return parts[2]
		}
	}
	return ""
}

func hasLine(s, line string) bool {
	for _, l := range strings.Split(s, "\n") {
		if l == line {
			return true
		}
	}
	return false
}

func checkDev(c *checks) {
	var st unix.Stat_t
	if err := unix.Stat("/dev/null", &st); err != nil {
		c.failf("stat /dev/null: %v", err)
	} else if st.Mode != unix.S_IFCHR|0o666 || unix.Major(st.Rdev) != 1 || unix.Minor(st.Rdev) != 3 {
		c.failf("/dev/null mode %#o dev %d:%d", st.Mode, unix.Major(st.Rdev), unix.Minor(st.Rdev))
	}
	if err := unix.Stat("/dev/tty", &st); err != nil || st.Gid != 5 {
		c.failf("/dev/tty gid %d, %v; want 5", st.Gid, err)
	}
	links := map[string]string{"/dev/fd": "/proc/self/fd", "/dev/stdin": "/proc/self/fd/0",
		"/dev/stdout": "/proc/self/fd/1", "/dev/stderr": "/proc/self/fd/2", "/dev/ptmx": "pts/ptmx"}
	for link, want := range links {
		if got, err := os.Readlink(link); err != nil || got != want {
			c.failf("readlink %s = %q, %v; want %q", link, got, err, want)
		}
	}
	if _, err := os.Stat("/dev/ptmx"); err != nil {
		c.failf("/dev/ptmx does not lead to the devpts ptmx: %v", err)
	}
}

func checkRestricted(c *checks) {
	// /proc/kcore is missing on some kernels; /proc/keys is always there.
	if b, err := os.ReadFile("/proc/keys"); err != nil || len(b) != 0 {
		c.failf("masked /proc/keys: read %d bytes, %v", len(b), err)
	}
	if ents, err := os.ReadDir("/sys/firmware"); err != nil || len(ents) != 0 {
		c.failf("masked /sys/firmware: %d entries, %v", len(ents), err)
	}
	err := os.WriteFile("/proc/sys/kernel/hostname", []byte("x"), 0o644)
	wantErrno(c, "write to ro /proc/sys", err, unix.EROFS)
	if _, err := os.Stat("/proc/no-such-thing"); !errors.Is(err, os.ErrNotExist) {
		c.failf("missing masked path: %v", err)
	}
}

func TestPrepareNoPivotSharedRoot(t *testing.T) {
	runChild(t, "nopivot-shared", 0, envRootfs+"="+makeRootfs(t))
}

// noPivotSharedScenario uses MS_MOVE+chroot and a shared root propagation,
// which needs the rootfs parent mount made private.
func noPivotSharedScenario() error {
	cfg := &configs.Config{
		Rootfs:          os.Getenv(envRootfs),
		NoPivotRoot:     true,
		RootPropagation: unix.MS_SHARED | unix.MS_REC,
		Mounts: []*configs.Mount{
			{Source: "tmpfs", Destination: "/dev", Device: "tmpfs", Flags: unix.MS_NOSUID, Data: "mode=755"},
		},
		Devices: defaultDevices(),
	}
	if err := Prepare(cfg, Options{Cwd: "/"}); err != nil {
		return err
	}
	c := &checks{}
	if wd, err := os.Getwd(); err != nil || wd != "/" {
		c.failf("cwd = %q, %v", wd, err)
	}
	if _, err := os.Stat("/bin/busybox"); err != nil {
		c.failf("rootfs not the root: %v", err)
	}
	if out, err := exec.Command("/bin/busybox", "true").CombinedOutput(); err != nil {
		c.failf("exec busybox: %v %s", err, out)
	}
	if _, err := os.Stat("/dev/null"); err != nil {
		c.failf("/dev/null: %v", err)
	}
	return c.err()
}
