package criclient

import (
	"context"
	"fmt"
	"time"

	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
)

// CreateContainer creates a container in the pod; the pod's config must be
// the one the pod was started with (CRI asks for it again).
func (c *Client) CreateContainer(ctx context.Context, podID string, cfg *runtimeapi.ContainerConfig, podCfg *runtimeapi.PodSandboxConfig) (string, error) {
	resp, err := c.runtime.CreateContainer(ctx, &runtimeapi.CreateContainerRequest{
		PodSandboxId:  podID,
		Config:        cfg,
		SandboxConfig: podCfg,
	})
	if err != nil {
		return "", fmt.Errorf("CRI CreateContainer in pod %s: %w", podID, err)
	}
	return resp.GetContainerId(), nil
}

// StartContainer starts a created container.
func (c *Client) StartContainer(ctx context.Context, id string) error {
	if _, err := c.runtime.StartContainer(ctx, &runtimeapi.StartContainerRequest{ContainerId: id}); err != nil {
		return fmt.Errorf("CRI StartContainer %s: %w", id, err)
	}
	return nil
}

// StopContainer signals the container's stop signal and kills it after
// the grace period.
func (c *Client) StopContainer(ctx context.Context, id string, grace time.Duration) error {
	req := &runtimeapi.StopContainerRequest{ContainerId: id, Timeout: int64(grace / time.Second)}
	if _, err := c.runtime.StopContainer(ctx, req); err != nil {
		return fmt.Errorf("CRI StopContainer %s: %w", id, err)
	}
	return nil
}

// RemoveContainer removes a container (a running one is killed first).
func (c *Client) RemoveContainer(ctx context.Context, id string) error {
	if _, err := c.runtime.RemoveContainer(ctx, &runtimeapi.RemoveContainerRequest{ContainerId: id}); err != nil {
		return fmt.Errorf("CRI RemoveContainer %s: %w", id, err)
	}
	return nil
}

// ContainerStatus returns the container's status and, verbose, the
// runtime's extra information (pid and OCI spec in info["info"]).
func (c *Client) ContainerStatus(ctx context.Context, id string) (*runtimeapi.ContainerStatusResponse, error) {
	resp, err := c.runtime.ContainerStatus(ctx, &runtimeapi.ContainerStatusRequest{
		ContainerId: id,
		Verbose:     true,
	})
	if err != nil {
		return nil, fmt.Errorf("CRI ContainerStatus %s: %w", id, err)
	}
	return resp, nil
}

// ExecResult is what a synchronous exec produced.
type ExecResult struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int32
}

// ExecSync runs cmd in the container and waits for it, for at most timeout
// (0: no limit).
func (c *Client) ExecSync(ctx context.Context, id string, cmd []string, timeout time.Duration) (ExecResult, error) {
	resp, err := c.runtime.ExecSync(ctx, &runtimeapi.ExecSyncRequest{
		ContainerId: id,
		Cmd:         cmd,
		Timeout:     int64(timeout / time.Second),
	})
	if err != nil {
		return ExecResult{}, fmt.Errorf("CRI ExecSync %q in %s: %w", cmd, id, err)
	}
	return ExecResult{Stdout: resp.GetStdout(), Stderr: resp.GetStderr(), ExitCode: resp.GetExitCode()}, nil
}
