// Package criclient is the e2e tier's small CRI client: it does what
// crictl would (crictl is not packaged for this machine) against a
// containerd CRI v1 socket, so that tests can run pods through ocirun.
package criclient

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
)

// Client talks CRI v1 to one endpoint.
type Client struct {
	conn    *grpc.ClientConn
	runtime runtimeapi.RuntimeServiceClient
	images  runtimeapi.ImageServiceClient
}

// Dial connects to the CRI endpoint at the unix socket path. The
// connection is made lazily: the first call reports an unreachable socket.
func Dial(socket string) (*Client, error) {
	conn, err := grpc.NewClient("unix://"+socket,
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, fmt.Errorf("connect to CRI socket %s: %w", socket, err)
	}
	return &Client{
		conn:    conn,
		runtime: runtimeapi.NewRuntimeServiceClient(conn),
		images:  runtimeapi.NewImageServiceClient(conn),
	}, nil
}

// Close ends the connection.
func (c *Client) Close() error {
	return c.conn.Close()
}

// Version returns the runtime's name and version, e.g. "containerd v1.6.20".
func (c *Client) Version(ctx context.Context) (string, error) {
	resp, err := c.runtime.Version(ctx, &runtimeapi.VersionRequest{})
	if err != nil {
		return "", fmt.Errorf("CRI Version: %w", err)
	}
	return resp.GetRuntimeName() + " " + resp.GetRuntimeVersion(), nil
}

// ImageID returns the id of a local image, or "" when the runtime does not
// know it (CRI sees images imported with ctr only once it processed their
// events).
func (c *Client) ImageID(ctx context.Context, ref string) (string, error) {
	resp, err := c.images.ImageStatus(ctx, &runtimeapi.ImageStatusRequest{
		Image: &runtimeapi.ImageSpec{Image: ref},
	})
	if err != nil {
		return "", fmt.Errorf("CRI ImageStatus %s: %w", ref, err)
	}
	return resp.GetImage().GetId(), nil
}
