// Package specconv turns an OCI runtime-spec config.json into ocirun's
// internal configs.Config, rejecting anything ocirun cannot honour with a
// one-line error that names the offending config field.
package specconv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// LoadSpec reads and decodes <bundle>/config.json.
func LoadSpec(bundle string) (*specs.Spec, error) {
	data, err := os.ReadFile(filepath.Join(bundle, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("config.json: %w", err)
	}
	var spec specs.Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("config.json: invalid JSON: %s: %w", jsonErrorPosition(data, err), err)
	}
	return &spec, nil
}

// jsonErrorPosition turns the byte offset the decoder reports into
// "line L, column C" so users can find the mistake in their editor.
func jsonErrorPosition(data []byte, err error) string {
	var offset int64 = -1
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntaxErr):
		offset = syntaxErr.Offset
	case errors.As(err, &typeErr):
		offset = typeErr.Offset
	}
	if offset < 0 || offset > int64(len(data)) {
		return fmt.Sprintf("at byte %d", len(data))
	}
	// The decoder reports the offset after the byte it choked on; point at
	// that byte itself.
	if offset > 0 {
		offset--
	}
	before := data[:offset]
	line := bytes.Count(before, []byte{'\n'}) + 1
	column := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, column)
}
