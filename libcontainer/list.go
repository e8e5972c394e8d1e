package libcontainer

import (
	"errors"
	"io/fs"
	"os"
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
	for _, e := range entries {
		if !e.IsDir() || ValidateID(e.Name()) != nil {
			continue
		}
		c, err := Load(root, e.Name(), false)
		if err != nil {
			continue // being created or deleted right now
		}
		out = append(out, c)
	}
	return out, nil
}
