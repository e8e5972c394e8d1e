package criclient

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
)

func TestVersion(t *testing.T) {
	_, client := startFake(t)
	got, err := client.Version(context.Background())
	if err != nil || got != "fake v1" {
		t.Fatalf("Version() = %q, %v; want \"fake v1\"", got, err)
	}
}

func TestRunPodSendsTheRuntimeHandler(t *testing.T) {
	fake, client := startFake(t)
	cfg := &runtimeapi.PodSandboxConfig{Metadata: &runtimeapi.PodSandboxMetadata{Name: "p"}}
	id, err := client.RunPod(context.Background(), cfg, "ocirun")
	if err != nil || id != "pod-p" {
		t.Fatalf("RunPod() = %q, %v; want pod-p", id, err)
	}
	if fake.gotHandler != "ocirun" {
		t.Errorf("handler sent: %q, want ocirun", fake.gotHandler)
	}
}

func TestExecSyncReturnsOutputAndExitCode(t *testing.T) {
	fake, client := startFake(t)
	res, err := client.ExecSync(context.Background(), "c1", []string{"sh", "-c", "x"}, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Stdout) != "out" || string(res.Stderr) != "err" || res.ExitCode != 4 {
		t.Errorf("ExecSync() = %+v", res)
	}
	if fake.gotExec.GetTimeout() != 3 || fake.gotExec.GetContainerId() != "c1" || len(fake.gotExec.GetCmd()) != 3 {
		t.Errorf("request sent: %v", fake.gotExec)
	}
}

func TestImageIDOfAnUnknownImageIsEmpty(t *testing.T) {
	_, client := startFake(t)
	if id, err := client.ImageID(context.Background(), "known"); err != nil || id != "sha256:1" {
		t.Errorf("ImageID(known) = %q, %v", id, err)
	}
	if id, err := client.ImageID(context.Background(), "other"); err != nil || id != "" {
		t.Errorf("ImageID(other) = %q, %v; want \"\", nil", id, err)
	}
}

func TestUnimplementedCallNamesTheOperation(t *testing.T) {
	_, client := startFake(t)
	err := client.StartContainer(context.Background(), "c9")
	if err == nil || !strings.Contains(err.Error(), "CRI StartContainer c9") {
		t.Errorf("StartContainer error = %v, want one naming the call and id", err)
	}
}

func TestMissingSocketFailsOnFirstCall(t *testing.T) {
	client, err := Dial(filepath.Join(t.TempDir(), "none.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := client.Version(ctx); err == nil || !strings.Contains(err.Error(), "CRI Version") {
		t.Errorf("Version() error = %v, want a CRI Version error", err)
	}
}
