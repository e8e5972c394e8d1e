package main

import "fmt"

// Metric keys: the names under which workers return samples and the
// report finds them.
const (
	metricRun             = "run"
	metricLifecycleTotal  = "lifecycle.total"
	metricLifecycleCreate = "lifecycle.create"
	metricLifecycleStart  = "lifecycle.start"
	metricLifecycleDelete = "lifecycle.delete"
	metricExec            = "exec"
	metricBurstWall       = "burst.wall"
	metricBurstCreate     = "burst.create"
	metricBurstStart      = "burst.start"
	metricBurstDelete     = "burst.delete"
	metricBurstRSS        = "burst.rss" // bytes, from Response.PeakRSS
	metricBurstPSS        = "burst.pss" // bytes, from Response.PeakPSS
)

func metricScaleCreateStart(level int) string { return fmt.Sprintf("scale.createstart@%d", level) }
func metricScaleList(level int) string        { return fmt.Sprintf("scale.list@%d", level) }
func metricScaleState(level int) string       { return fmt.Sprintf("scale.state@%d", level) }

// row is one line of the report.
type row struct {
	key    string
	label  string
	memory bool // bytes instead of durations
	detail bool // a phase of the row above: in the table, not in the chart
}

// reportRows lists the report's rows in order.
func reportRows(p plan) []row {
	rows := []row{
		{key: metricRun, label: "1. run /bin/true (create+start+wait+delete)"},
		{key: metricLifecycleTotal, label: "2. create + start + delete, per container"},
		{key: metricLifecycleCreate, label: "   create", detail: true},
		{key: metricLifecycleStart, label: "   start", detail: true},
		{key: metricLifecycleDelete, label: "   delete", detail: true},
		{key: metricExec, label: "3. exec /bin/true into a running container"},
		{key: metricBurstWall, label: fmt.Sprintf("4. burst of %d: wall time", p.BurstSize)},
		{key: metricBurstCreate, label: "   concurrent creates", detail: true},
		{key: metricBurstStart, label: "   concurrent starts", detail: true},
		{key: metricBurstDelete, label: "   concurrent deletes", detail: true},
		{key: metricBurstRSS, label: fmt.Sprintf("4. burst of %d: peak RSS of runtime processes", p.BurstSize), memory: true},
		{key: metricBurstPSS, label: fmt.Sprintf("4. burst of %d: peak PSS of runtime processes (shared pages once)", p.BurstSize), memory: true},
	}
	for _, l := range p.Levels {
		rows = append(rows,
			row{key: metricScaleCreateStart(l), label: fmt.Sprintf("5. create+start, %d running", l)},
			row{key: metricScaleList(l), label: fmt.Sprintf("5. list, %d running", l)},
			row{key: metricScaleState(l), label: fmt.Sprintf("5. state, %d running", l)},
		)
	}
	return rows
}
