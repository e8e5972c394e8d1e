package criclient

import (
	"fmt"
	"os"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
)

// LoadPodConfig reads a PodSandboxConfig from a JSON file (protobuf JSON:
// field names in snake_case or lowerCamelCase, as crictl's files).
func LoadPodConfig(path string) (*runtimeapi.PodSandboxConfig, error) {
	cfg := &runtimeapi.PodSandboxConfig{}
	if err := loadJSON(path, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// LoadContainerConfig reads a ContainerConfig from a JSON file.
func LoadContainerConfig(path string) (*runtimeapi.ContainerConfig, error) {
	cfg := &runtimeapi.ContainerConfig{}
	if err := loadJSON(path, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// loadJSON fills msg from the file; unknown fields are errors, so that a
// misspelt field fails the test instead of being ignored.
func loadJSON(path string, msg proto.Message) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read CRI config: %w", err)
	}
	if err := protojson.Unmarshal(data, msg); err != nil {
		return fmt.Errorf("parse CRI config %s: %w", path, err)
	}
	return nil
}
