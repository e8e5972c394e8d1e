package libcontainer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"strings"

	"github.com/ocirun/ocirun/libcontainer/configs"
	"github.com/ocirun/ocirun/libcontainer/internal/system"
)

// Id maps of a new user namespace: root writes /proc/<pid>/{uid,gid}_map
// itself. An unprivileged caller may only map its own uid and gid (and
// then setgroups must be denied); anything else goes through the setuid
// helpers newuidmap/newgidmap (Debian's uidmap package), which check the
// ranges against /etc/subuid and /etc/subgid.

// selfMappable reports whether the calling user may write cfg's maps
// without help: one entry each, mapping exactly its own uid and gid.
func selfMappable(cfg *configs.Config) bool {
	if os.Geteuid() == 0 {
		return true
	}
	own := func(m []configs.IDMap, id int) bool {
		return len(m) == 1 && m[0].Size == 1 && int(m[0].HostID) == id
	}
	return own(cfg.UIDMappings, os.Geteuid()) && own(cfg.GIDMappings, os.Getegid())
}

// writeIDMaps writes the maps of the user namespace of process pid.
func writeIDMaps(pid int, cfg *configs.Config) error {
	if os.Geteuid() != 0 {
		return mapWithTools(pid, cfg)
	}
	// Through a verified procfs handle: what is written is the real
	// uid_map of that process (CVE-2025-52881 class).
	if err := system.WriteProcPid(pid, "uid_map", formatIDMap(cfg.UIDMappings)); err != nil {
		return fmt.Errorf("linux.uidMappings: %w", err)
	}
	if err := system.WriteProcPid(pid, "gid_map", formatIDMap(cfg.GIDMappings)); err != nil {
		return fmt.Errorf("linux.gidMappings: %w", err)
	}
	return nil
}

func formatIDMap(m []configs.IDMap) []byte {
	var b []byte
	for _, e := range m {
		b = fmt.Appendf(b, "%d %d %d\n", e.ContainerID, e.HostID, e.Size)
	}
	return b
}

// mapWithTools runs newuidmap and newgidmap for pid, after checking that
// the ranges are the caller's, so the error says what to fix.
func mapWithTools(pid int, cfg *configs.Config) error {
	maps := []struct {
		field, tool, idFile string
		m                   []configs.IDMap
		own                 int
	}{
		{"linux.uidMappings", "newuidmap", "/etc/subuid", cfg.UIDMappings, os.Geteuid()},
		{"linux.gidMappings", "newgidmap", "/etc/subgid", cfg.GIDMappings, os.Getegid()},
	}
	for _, mp := range maps {
		if err := checkSubIDs(mp.idFile, mp.m, mp.own); err != nil {
			return fmt.Errorf("%s: %w", mp.field, err)
		}
		if err := runMapTool(mp.tool, pid, mp.m); err != nil {
			return fmt.Errorf("%s: %w", mp.field, err)
		}
	}
	return nil
}

func runMapTool(tool string, pid int, m []configs.IDMap) error {
	path, err := exec.LookPath(tool)
	if err != nil {
		return fmt.Errorf("%s not found (install the uidmap package): %w", tool, err)
	}
	args := []string{strconv.Itoa(pid)}
	for _, e := range m {
		args = append(args, strconv.Itoa(int(e.ContainerID)), strconv.Itoa(int(e.HostID)), strconv.Itoa(int(e.Size)))
	}
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", tool, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// checkSubIDs verifies that every host range of m is the caller's own id
// or lies in one of its ranges in file (/etc/subuid or /etc/subgid).
func checkSubIDs(file string, m []configs.IDMap, own int) error {
	u, err := user.LookupId(strconv.Itoa(os.Geteuid()))
	if err != nil {
		return fmt.Errorf("look up the calling user: %w", err)
	}
	ranges, err := subIDRanges(file, u.Username, u.Uid)
	if err != nil {
		return err
	}
	for _, e := range m {
		if e.Size == 1 && int(e.HostID) == own {
			continue
		}
		if !inRanges(ranges, e) {
			if len(ranges) == 0 {
				return fmt.Errorf("no subordinate id range for user %s in %s", u.Username, file)
			}
			return fmt.Errorf("host ids %d-%d are not in the ranges of user %s in %s", e.HostID, uint64(e.HostID)+uint64(e.Size)-1, u.Username, file)
		}
	}
	return nil
}

type idRange struct{ start, size uint64 }

func inRanges(ranges []idRange, e configs.IDMap) bool {
	for _, r := range ranges {
		if uint64(e.HostID) >= r.start && uint64(e.HostID)+uint64(e.Size) <= r.start+r.size {
			return true
		}
	}
	return false
}

// subIDRanges reads the "name:start:count" lines of file that belong to
// the user (by name or by uid).
func subIDRanges(file, name, uid string) ([]idRange, error) {
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ranges []idRange
	s := bufio.NewScanner(f)
	for s.Scan() {
		parts := strings.Split(strings.TrimSpace(s.Text()), ":")
		if len(parts) != 3 || (parts[0] != name && parts[0] != uid) {
			continue
		}
		start, err1 := strconv.ParseUint(parts[1], 10, 32)
		size, err2 := strconv.ParseUint(parts[2], 10, 32)
		if err1 == nil && err2 == nil {
			ranges = append(ranges, idRange{start, size})
		}
	}
	return ranges, s.Err()
}
