package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// bundles hands out one bundle directory per container. All of a
// runtime's containers share its copy of the rootfs (root.path is absolute
// and the root is read-only); each gets its own config.json, because
// linux.cgroupsPath must be unique per container.
type bundles struct {
	base     specs.Spec // the runtime's config: rootfs, ociVersion
	dir      string     // where per-container bundles go
	idPrefix string     // <runtime>-<run tag>-
	seq      int
}

// cgroupPrefix is the first part of every container cgroup's name, always
// absolute: a relative cgroupsPath would land below the caller's cgroup.
const cgroupPrefix = "ocirun-bench-"

func loadBundles(configPath, dir, idPrefix string) (*bundles, error) {
	b, err := os.ReadFile(configPath)
	if err != nil {
		return nil, fmt.Errorf("read base config: %w", err)
	}
	var spec specs.Spec
	if err := json.Unmarshal(b, &spec); err != nil {
		return nil, fmt.Errorf("parse base config %s: %w", configPath, err)
	}
	if spec.Process == nil || spec.Linux == nil {
		return nil, fmt.Errorf("base config %s: process and linux must be set", configPath)
	}
	return &bundles{base: spec, dir: dir, idPrefix: idPrefix}, nil
}

// next writes a bundle running args and returns the container id and the
// bundle directory.
func (b *bundles) next(args ...string) (id, dir string, err error) {
	b.seq++
	id = b.idPrefix + strconv.Itoa(b.seq)
	dir = filepath.Join(b.dir, id)
	spec := b.base
	proc := *spec.Process
	proc.Args = args
	spec.Process = &proc
	linux := *spec.Linux
	linux.CgroupsPath = "/" + cgroupPrefix + id
	spec.Linux = &linux
	data, err := json.Marshal(&spec)
	if err != nil {
		return "", "", fmt.Errorf("bundle %s: encode config: %w", id, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("bundle %s: %w", id, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), data, 0o600); err != nil {
		return "", "", fmt.Errorf("bundle %s: %w", id, err)
	}
	return id, dir, nil
}

// remove deletes a container's bundle directory once it is deleted.
func (b *bundles) remove(id string) {
	os.RemoveAll(filepath.Join(b.dir, id))
}
