package libcontainer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// List returns the containers under root, in name order.
func List(root string) ([]*Container, error) {
	dirs, err := containerDirs(root)
	if err != nil {
		return nil, err
	}
	var out []*Container
	var buf bytes.Buffer // one read buffer for every state file
	for _, dir := range dirs {
		s, _, err := readStateSummary(dir, &buf, false)
		if err != nil {
			continue // being created or deleted right now
		}
		out = append(out, &Container{dir: dir, state: s})
	}
	return out, nil
}

// ListStates returns the OCI state of every container under root, in name
// order: what List and OCIState give, with the containers spread over the
// CPUs, since each costs a state file and a few /proc and cgroup reads.
// It returns nil when there is none.
func ListStates(root string) ([]OCIState, error) {
	dirs, err := containerDirs(root)
	if err != nil {
		return nil, err
	}
	states := make([]OCIState, len(dirs))
	found := make([]bool, len(dirs))
	// Below a few dozen containers a goroutine costs more than it saves.
	workers := min(runtime.GOMAXPROCS(0), 1+len(dirs)/32)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for i := w; i < len(dirs); i += workers {
				s, _, err := readStateSummary(dirs[i], &buf, false)
				if err != nil {
					continue // being created or deleted right now
				}
				states[i], found[i] = (&Container{dir: dirs[i], state: s}).OCIState(), true
			}
		}()
	}
	wg.Wait()
	var out []OCIState
	for i := range states {
		if found[i] {
			out = append(out, states[i])
		}
	}
	return out, nil
}

// containerDirs returns the state directories under root, in name order.
func containerDirs(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && ValidateID(e.Name()) == nil {
			dirs = append(dirs, filepath.Join(root, e.Name()))
		}
	}
	return dirs, nil
}

// configSummary is the part of a state file's config that list, state,
// start, kill and delete use. Decoding only it, not the whole config,
// saves a fresh process about 2 ms (encoding/json builds the decoders of
// a type's whole tree on first use) and makes list about N times cheaper
// with hundreds of containers. Exec and update decode the rest
// (Container.loadConfig).
type configSummary struct {
	OCIVersion  string            `json:"oci_version"`
	Rootfs      string            `json:"rootfs"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Hooks       *specs.Hooks      `json:"hooks,omitempty"`
	NetDevices  map[string]string `json:"net_devices,omitempty"`
}

func (sum *configSummary) config() *configs.Config {
	return &configs.Config{
		OCIVersion: sum.OCIVersion, Rootfs: sum.Rootfs, Annotations: sum.Annotations,
		Hooks: sum.Hooks, NetDevices: sum.NetDevices,
	}
}

// readStateSummary reads a state file with only the summary of its
// config in State.Config. With keepRaw the config's JSON is returned as
// well, for a later full decode; without, the file is decoded in one pass
// that copies nothing of the rest of the config (list reads hundreds).
func readStateSummary(dir string, buf *bytes.Buffer, keepRaw bool) (State, json.RawMessage, error) {
	f, err := os.Open(filepath.Join(dir, stateFile))
	if err != nil {
		return State{}, nil, err
	}
	buf.Reset()
	_, err = buf.ReadFrom(f)
	f.Close()
	if err != nil {
		return State{}, nil, err
	}
	if !keepRaw {
		var s struct {
			State
			Config configSummary `json:"config"`
		}
		if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
			return State{}, nil, fmt.Errorf("read state %s: %w", dir, err)
		}
		st := s.State
		st.Config = s.Config.config()
		return st, nil, nil
	}
	var s struct {
		State
		Config json.RawMessage `json:"config"`
	}
	var sum configSummary
	if err := json.Unmarshal(buf.Bytes(), &s); err != nil {
		return State{}, nil, fmt.Errorf("read state %s: %w", dir, err)
	}
	if len(s.Config) > 0 {
		if err := json.Unmarshal(s.Config, &sum); err != nil {
			return State{}, nil, fmt.Errorf("read state %s: config: %w", dir, err)
		}
	}
	st := s.State
	st.Config = sum.config()
	return st, s.Config, nil
}
