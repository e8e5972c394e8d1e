package initproc

import (
	"os"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/ocirun/ocirun/libcontainer/internal/hooks"
	"github.com/ocirun/ocirun/libcontainer/internal/syncproto"
)

// createHooks runs at the end of the mounts, before pivot_root: the parent
// runs prestart and createRuntime (runtime namespace), then we run
// createContainer here (container namespaces). No round trip without hooks.
func createHooks(sock *os.File, ic *syncproto.InitConfig) error {
	h := ic.Config.Hooks
	if len(hooks.List(h, hooks.Prestart))+len(hooks.List(h, hooks.CreateRuntime)) > 0 {
		req := &syncproto.Message{Type: syncproto.TypeHooks, Phase: string(hooks.CreateRuntime)}
		if err := syncproto.Send(sock, req); err != nil {
			return err
		}
		if _, _, err := syncproto.Expect(sock, syncproto.TypeHooksDone); err != nil {
			return err
		}
	}
	return runHooks(ic, hooks.CreateContainer, specs.StateCreating)
}

func runHooks(ic *syncproto.InitConfig, phase hooks.Phase, status specs.ContainerState) error {
	return hooks.Run(ic.Config.Hooks, phase, &specs.State{
		Version:     specs.Version,
		ID:          ic.ID,
		Status:      status,
		Pid:         ic.Pid,
		Bundle:      ic.Bundle,
		Annotations: ic.Config.Annotations,
	})
}
