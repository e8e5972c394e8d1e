package libcontainer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/configs"
)

// List returns the containers under root, in name order.
func List(root string) ([]*Container, error) {
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*Container
	var buf bytes.Buffer // one read buffer for every state file
	for _, e := range entries {
		if !e.IsDir() || ValidateID(e.Name()) != nil {
			continue
		}
		s, _, err := readStateSummary(filepath.Join(root, e.Name()), &buf)
		if err != nil {
			continue // being created or deleted right now
		}
		out = append(out, &Container{dir: filepath.Join(root, e.Name()), state: s})
	}
	return out, nil
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

// readStateSummary reads a state file with only the summary of its
// config in State.Config; the config's JSON is returned as well.
func readStateSummary(dir string, buf *bytes.Buffer) (State, json.RawMessage, error) {
	var s struct {
		State
		Config json.RawMessage `json:"config"`
	}
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
	st.Config = &configs.Config{
		OCIVersion: sum.OCIVersion, Rootfs: sum.Rootfs, Annotations: sum.Annotations,
		Hooks: sum.Hooks, NetDevices: sum.NetDevices,
	}
	return st, s.Config, nil
}
