package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/urfave/cli"

	"github.com/ocirun/ocirun/libcontainer"
)

var eventsCommand = cli.Command{
	Name:      "events",
	Usage:     "print container events (OOM notifications, cpu, memory, pids and I/O statistics) as JSON lines",
	ArgsUsage: "<container-id>",
	Flags: []cli.Flag{
		cli.DurationFlag{Name: "interval", Value: 5 * time.Second, Usage: "time between stats events (e.g. 1s, 500ms)"},
		cli.BoolFlag{Name: "stats", Usage: "print one stats event and exit"},
	},
	Action: func(c *cli.Context) error {
		id, err := onlyID(c)
		if err != nil {
			return err
		}
		interval := c.Duration("interval")
		if interval <= 0 {
			return fmt.Errorf("--interval: %s: must be greater than 0", interval)
		}
		ctr, err := load(c, id, false)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(os.Stdout)
		if c.Bool("stats") {
			st, err := ctr.Stats()
			if err != nil {
				return err
			}
			return enc.Encode(libcontainer.Event{Type: libcontainer.EventStats, ID: id, Data: st})
		}
		return streamEvents(ctr, interval, enc)
	},
}

// streamEvents prints events until the container stops. A failed stats
// read is logged and the stream goes on, as with runc.
func streamEvents(ctr *libcontainer.Container, interval time.Duration, enc *json.Encoder) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // ends the stream's goroutines if writing fails
	events, err := ctr.Events(ctx, interval)
	if err != nil {
		return err
	}
	for e := range events {
		if e.Type == libcontainer.EventError {
			logrus.Error(e.Err)
			continue
		}
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("events: write: %w", err)
		}
	}
	return nil
}
