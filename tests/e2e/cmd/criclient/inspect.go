package main

import (
	"context"
	"encoding/json"
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/ocirun/ocirun/tests/e2e/criclient"
)

func inspectCmd(ctx context.Context, c *criclient.Client, args []string) (int, error) {
	if err := wantArgs(args, 1, "inspect ID"); err != nil {
		return 0, err
	}
	resp, err := c.ContainerStatus(ctx, args[0])
	if err != nil {
		return 0, err
	}
	return 0, printInspect(resp.GetStatus(), resp.GetInfo())
}

func inspectPodCmd(ctx context.Context, c *criclient.Client, args []string) (int, error) {
	if err := wantArgs(args, 1, "inspectp POD_ID"); err != nil {
		return 0, err
	}
	resp, err := c.PodStatus(ctx, args[0])
	if err != nil {
		return 0, err
	}
	return 0, printInspect(resp.GetStatus(), resp.GetInfo())
}

// printInspect prints {"status": STATUS, "info": INFO} where INFO is the
// runtime's verbose "info" entry (JSON text in the response) decoded, so
// that jq reads e.g. .info.pid directly.
func printInspect(status proto.Message, info map[string]string) error {
	// Zero values stay: SANDBOX_READY and exit code 0 are zeros.
	statusJSON, err := protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(status)
	if err != nil {
		return fmt.Errorf("encode status: %w", err)
	}
	out := map[string]json.RawMessage{"status": statusJSON, "info": json.RawMessage("null")}
	if raw, ok := info["info"]; ok {
		if !json.Valid([]byte(raw)) {
			return fmt.Errorf("runtime's verbose info is not JSON: %.80s", raw)
		}
		out["info"] = json.RawMessage(raw)
	}
	text, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("encode inspect output: %w", err)
	}
	fmt.Println(string(text))
	return nil
}
