package libcontainer

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"github.com/sirupsen/logrus"

	"github.com/ocirun/ocirun/libcontainer/internal/hooks"
)

// specState is the runtime-spec state given to hooks on stdin.
func (c *Container) specState(status specs.ContainerState) *specs.State {
	return &specs.State{
		Version:     specs.Version,
		ID:          c.state.ID,
		Status:      status,
		Pid:         c.state.InitPid,
		Bundle:      c.state.Bundle,
		Annotations: c.state.Config.Annotations,
	}
}

// runCreateHooks runs the prestart and createRuntime hooks (runtime
// namespace, during create, before pivot_root). A failure fails the create.
func (c *Container) runCreateHooks() error {
	st := c.specState(specs.StateCreating)
	if err := hooks.Run(c.state.Config.Hooks, hooks.Prestart, st); err != nil {
		return err
	}
	return hooks.Run(c.state.Config.Hooks, hooks.CreateRuntime, st)
}

// runPoststartHooks runs the poststart hooks once the program runs. The
// first failure is the operation's error and the caller stops the
// container: runtime-spec v1.3.0 lifecycle step 9 (runc does the same).
func (c *Container) runPoststartHooks() error {
	return hooks.Run(c.state.Config.Hooks, hooks.Poststart, c.specState(specs.StateRunning))
}

// runPoststopHooks runs every poststop hook: the spec makes their failures
// warnings that do not change the operation's outcome.
func (c *Container) runPoststopHooks() {
	if c.state.Config == nil {
		return // a create that failed before it had a config
	}
	if err := hooks.RunAll(c.state.Config.Hooks, hooks.Poststop, c.specState(specs.StateStopped)); err != nil {
		logrus.Warn(err)
	}
}
