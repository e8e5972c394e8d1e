package main

import (
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const ocirunCmdPath = "github.com/ocirun/ocirun/cmd/ocirun"

// checkProvenance rebuilds ocirun from the tree at repo with the settings
// recorded in the binary (-trimpath, -tags, CGO_ENABLED, GOARCH...) plus
// ldflags (not recorded when -trimpath is set) and refuses a binary that
// differs: the numbers must be those of this tree's code. Go builds are
// reproducible, so any difference is a different source or build. It
// returns the binary's sha256 so the report can check it again.
func checkProvenance(binary, repo, ldflags, scratch string) (string, error) {
	info, err := buildinfo.ReadFile(binary)
	if err != nil {
		return "", fmt.Errorf("ocirun binary %s: no Go build info: %w", binary, err)
	}
	if info.Path != ocirunCmdPath {
		return "", fmt.Errorf("ocirun binary %s: built from %q, not %s", binary, info.Path, ocirunCmdPath)
	}
	rebuilt := filepath.Join(scratch, "ocirun-rebuilt")
	defer os.Remove(rebuilt)
	if err := rebuild(info, repo, ldflags, rebuilt); err != nil {
		return "", err
	}
	want, err := fileSHA256(binary)
	if err != nil {
		return "", err
	}
	got, err := fileSHA256(rebuilt)
	if err != nil {
		return "", err
	}
	if got != want {
		return "", fmt.Errorf("ocirun binary %s (sha256 %.12s) is not the one built from the tree at %s (rebuilt: %.12s): run `make build`, and keep the tree unchanged while the bench runs", binary, want, repo, got)
	}
	return want, nil
}

// rebuild runs `go build` of cmd/ocirun with the binary's build settings.
func rebuild(info *buildinfo.BuildInfo, repo, ldflags, out string) error {
	args := []string{"build", "-o", out}
	env := os.Environ()
	for _, s := range info.Settings {
		switch {
		case s.Key == "-trimpath" && s.Value == "true":
			args = append(args, "-trimpath")
		case s.Key == "-tags":
			args = append(args, "-tags", s.Value)
		case s.Key == "-ldflags":
			ldflags = s.Value // recorded when not trimmed: it wins
		case s.Key == "CGO_ENABLED" || s.Key == "GOARCH" || s.Key == "GOOS" || strings.HasPrefix(s.Key, "GOAMD64"):
			env = append(env, s.Key+"="+s.Value)
		}
	}
	if ldflags != "" {
		args = append(args, "-ldflags", ldflags)
	}
	args = append(args, "./cmd/ocirun")
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = repo, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("rebuild ocirun in %s (go %s): %w: %s", repo, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("hash: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// defaultLdflags are the Makefile's: the version file and the short commit.
func defaultLdflags(repo string) string {
	version := "unknown"
	if b, err := os.ReadFile(filepath.Join(repo, "VERSION")); err == nil {
		version = strings.TrimSpace(string(b))
	}
	commit := "unknown"
	if out, err := exec.Command("git", "-C", repo, "rev-parse", "--short", "HEAD").Output(); err == nil {
		commit = strings.TrimSpace(string(out))
	}
	return "-X main.version=" + version + " -X main.gitCommit=" + commit +
		" -linkmode external -extldflags -static"
}
