package libcontainer

import (
	"errors"
	"fmt"
)

// Errors callers may test for with errors.Is.
var (
	// ErrNotExist: no container with that id.
	ErrNotExist = errors.New("does not exist")
	// ErrExist: a container with that id already exists.
	ErrExist = errors.New("already exists")
	// ErrNotRunning: the operation needs a created or running container.
	ErrNotRunning = errors.New("is not running")
)

// containerError reads `container "ID" does not exist` and unwraps to the
// sentinel.
type containerError struct {
	id  string
	err error
}

func (e *containerError) Error() string { return fmt.Sprintf("container %q %v", e.id, e.err) }
func (e *containerError) Unwrap() error { return e.err }

func errContainer(id string, sentinel error) error {
	return &containerError{id: id, err: sentinel}
}
