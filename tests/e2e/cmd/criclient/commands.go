package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/ocirun/ocirun/tests/e2e/criclient"
)

// wantArgs checks the count of positional arguments of a subcommand.
func wantArgs(args []string, n int, usage string) error {
	if len(args) != n {
		return fmt.Errorf("usage: criclient %s", usage)
	}
	return nil
}

func versionCmd(ctx context.Context, c *criclient.Client, args []string) (int, error) {
	if err := wantArgs(args, 0, "version"); err != nil {
		return 0, err
	}
	v, err := c.Version(ctx)
	if err != nil {
		return 0, err
	}
	fmt.Println(v)
	return 0, nil
}

// imageCmd prints the image's id; exit status 1 when the runtime does not
// know the image.
func imageCmd(ctx context.Context, c *criclient.Client, args []string) (int, error) {
	if err := wantArgs(args, 1, "image REF"); err != nil {
		return 0, err
	}
	id, err := c.ImageID(ctx, args[0])
	if err != nil {
		return 0, err
	}
	if id == "" {
		fmt.Fprintf(os.Stderr, "criclient: image %s not found\n", args[0])
		return 1, nil
	}
	fmt.Println(id)
	return 0, nil
}

func runPodCmd(ctx context.Context, c *criclient.Client, args []string) (int, error) {
	flags := flag.NewFlagSet("runp", flag.ContinueOnError)
	handler := flags.String("runtime", "", "runtime handler (containerd runtime name)")
	if err := flags.Parse(args); err != nil {
		return 0, err
	}
	if err := wantArgs(flags.Args(), 1, "runp [--runtime HANDLER] POD.json"); err != nil {
		return 0, err
	}
	cfg, err := criclient.LoadPodConfig(flags.Arg(0))
	if err != nil {
		return 0, err
	}
	id, err := c.RunPod(ctx, cfg, *handler)
	if err != nil {
		return 0, err
	}
	fmt.Println(id)
	return 0, nil
}

func createCmd(ctx context.Context, c *criclient.Client, args []string) (int, error) {
	if err := wantArgs(args, 3, "create POD_ID CONTAINER.json POD.json"); err != nil {
		return 0, err
	}
	cfg, err := criclient.LoadContainerConfig(args[1])
	if err != nil {
		return 0, err
	}
	podCfg, err := criclient.LoadPodConfig(args[2])
	if err != nil {
		return 0, err
	}
	id, err := c.CreateContainer(ctx, args[0], cfg, podCfg)
	if err != nil {
		return 0, err
	}
	fmt.Println(id)
	return 0, nil
}

func execCmd(ctx context.Context, c *criclient.Client, args []string) (int, error) {
	flags := flag.NewFlagSet("exec", flag.ContinueOnError)
	timeout := flags.Int("timeout", 0, "seconds before the runtime kills the command (0: none)")
	if err := flags.Parse(args); err != nil {
		return 0, err
	}
	if flags.NArg() < 2 {
		return 0, fmt.Errorf("usage: criclient exec [--timeout SECONDS] ID CMD [ARG...]")
	}
	res, err := c.ExecSync(ctx, flags.Arg(0), flags.Args()[1:], time.Duration(*timeout)*time.Second)
	if err != nil {
		return 0, err
	}
	os.Stdout.Write(res.Stdout)
	os.Stderr.Write(res.Stderr)
	return int(res.ExitCode), nil
}

// idCmd makes a subcommand that takes one id and prints nothing.
func idCmd(name string, call func(*criclient.Client, context.Context, string) error) command {
	return func(ctx context.Context, c *criclient.Client, args []string) (int, error) {
		if err := wantArgs(args, 1, name+" ID"); err != nil {
			return 0, err
		}
		return 0, call(c, ctx, args[0])
	}
}

var (
	startCmd     = idCmd("start", (*criclient.Client).StartContainer)
	removeCmd    = idCmd("rm", (*criclient.Client).RemoveContainer)
	stopPodCmd   = idCmd("stopp", (*criclient.Client).StopPod)
	removePodCmd = idCmd("rmp", (*criclient.Client).RemovePod)
)

func stopCmd(ctx context.Context, c *criclient.Client, args []string) (int, error) {
	flags := flag.NewFlagSet("stop", flag.ContinueOnError)
	grace := flags.Int("timeout", 10, "seconds between the stop signal and SIGKILL")
	if err := flags.Parse(args); err != nil {
		return 0, err
	}
	if err := wantArgs(flags.Args(), 1, "stop [--timeout SECONDS] ID"); err != nil {
		return 0, err
	}
	return 0, c.StopContainer(ctx, flags.Arg(0), time.Duration(*grace)*time.Second)
}
