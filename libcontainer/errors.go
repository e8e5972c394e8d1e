package libcontainer

import "errors"

// Errors callers may test for with errors.Is.
var (
	// ErrNotExist: no container with that id.
	ErrNotExist = errors.New("container does not exist")
	// ErrExist: a container with that id already exists.
	ErrExist = errors.New("container already exists")
	// ErrNotRunning: the operation needs a created or running container.
	ErrNotRunning = errors.New("container is not running")
)
