package criclient

import (
	"context"
	"fmt"

	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
)

// RunPod starts a pod sandbox with the runtime handler (the containerd
// runtime name a Kubernetes RuntimeClass points at) and returns its id.
func (c *Client) RunPod(ctx context.Context, cfg *runtimeapi.PodSandboxConfig, handler string) (string, error) {
	resp, err := c.runtime.RunPodSandbox(ctx, &runtimeapi.RunPodSandboxRequest{
		Config:         cfg,
		RuntimeHandler: handler,
	})
	if err != nil {
		return "", fmt.Errorf("CRI RunPodSandbox (handler %q): %w", handler, err)
	}
	return resp.GetPodSandboxId(), nil
}

// StopPod stops every container of the pod and its sandbox.
func (c *Client) StopPod(ctx context.Context, podID string) error {
	if _, err := c.runtime.StopPodSandbox(ctx, &runtimeapi.StopPodSandboxRequest{PodSandboxId: podID}); err != nil {
		return fmt.Errorf("CRI StopPodSandbox %s: %w", podID, err)
	}
	return nil
}

// RemovePod removes a stopped pod and its containers.
func (c *Client) RemovePod(ctx context.Context, podID string) error {
	if _, err := c.runtime.RemovePodSandbox(ctx, &runtimeapi.RemovePodSandboxRequest{PodSandboxId: podID}); err != nil {
		return fmt.Errorf("CRI RemovePodSandbox %s: %w", podID, err)
	}
	return nil
}

// PodStatus returns the pod's status and, verbose, the runtime's extra
// information (containerd puts the sandbox's pid and its OCI spec in
// info["info"]).
func (c *Client) PodStatus(ctx context.Context, podID string) (*runtimeapi.PodSandboxStatusResponse, error) {
	resp, err := c.runtime.PodSandboxStatus(ctx, &runtimeapi.PodSandboxStatusRequest{
		PodSandboxId: podID,
		Verbose:      true,
	})
	if err != nil {
		return nil, fmt.Errorf("CRI PodSandboxStatus %s: %w", podID, err)
	}
	return resp, nil
}
