package specconv

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// convertProcess validates spec.process and turns it into the init process.
func convertProcess(p *specs.Process) (*configs.Process, error) {
	if p == nil {
		return nil, errors.New("process: missing")
	}
	if err := checkArgs(p.Args); err != nil {
		return nil, err
	}
	if !filepath.IsAbs(p.Cwd) {
		return nil, fmt.Errorf("process.cwd: %q is not an absolute path", p.Cwd)
	}
	if err := checkEnv(p.Env); err != nil {
		return nil, err
	}
	if err := checkOomScoreAdj(p.OOMScoreAdj); err != nil {
		return nil, err
	}
	if err := checkAppArmor(p.ApparmorProfile); err != nil {
		return nil, err
	}
	if err := checkSELinuxLabel(p.SelinuxLabel); err != nil {
		return nil, err
	}
	rlimits, err := convertRlimits(p.Rlimits)
	if err != nil {
		return nil, err
	}
	proc := &configs.Process{
		Args:            append([]string(nil), p.Args...),
		Env:             append([]string(nil), p.Env...),
		Cwd:             p.Cwd,
		User:            convertUser(p.User),
		Capabilities:    convertCapabilities(p.Capabilities),
		Rlimits:         rlimits,
		NoNewPrivileges: p.NoNewPrivileges,
		OomScoreAdj:     copyIntPtr(p.OOMScoreAdj),
		Terminal:        p.Terminal,
		ConsoleSize:     copyBox(p.ConsoleSize),
		ApparmorProfile: p.ApparmorProfile,
		SelinuxLabel:    p.SelinuxLabel,
	}
	if err := convertProcessAttrs(p, proc); err != nil {
		return nil, err
	}
	return proc, nil
}

func checkArgs(args []string) error {
	if len(args) == 0 {
		return errors.New("process.args: must not be empty")
	}
	if args[0] == "" {
		return errors.New("process.args[0]: must not be empty")
	}
	return nil
}

// checkEnv applies the same KEY=VALUE rules runc enforces when it sets up
// the environment, but reports them up front with the offending index.
func checkEnv(env []string) error {
	for i, kv := range env {
		key, _, ok := strings.Cut(kv, "=")
		switch {
		case !ok:
			return fmt.Errorf("process.env[%d]: %q is not of the form KEY=VALUE", i, kv)
		case key == "":
			return fmt.Errorf("process.env[%d]: %q has an empty name", i, kv)
		case strings.IndexByte(kv, 0) >= 0:
			return fmt.Errorf("process.env[%d]: %q contains a NUL byte", i, kv)
		}
	}
	return nil
}

func checkOomScoreAdj(adj *int) error {
	if adj != nil && (*adj < -1000 || *adj > 1000) {
		return fmt.Errorf("process.oomScoreAdj: %d is outside the range -1000..1000", *adj)
	}
	return nil
}

func convertUser(u specs.User) configs.User {
	user := configs.User{UID: u.UID, GID: u.GID}
	if len(u.AdditionalGids) > 0 {
		user.AdditionalGids = append([]uint32(nil), u.AdditionalGids...)
	}
	if u.Umask != nil {
		umask := *u.Umask
		user.Umask = &umask
	}
	return user
}

func copyIntPtr(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func copyBox(b *specs.Box) *specs.Box {
	if b == nil {
		return nil
	}
	v := *b
	return &v
}

// ConvertProcess validates a runtime-spec Process (a process.json given to
// `exec`, or config.json's) and converts it.
func ConvertProcess(p *specs.Process) (*configs.Process, error) {
	return convertProcess(p)
}
