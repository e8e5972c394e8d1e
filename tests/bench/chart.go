package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"text/template"
)

// The chart: one group of three horizontal bars per measurement, each the
// runtime's number divided by crun's (crun = 1.0, shorter is better).

var runtimeColors = map[string]string{rtOcirun: "#1f6fb4", rtRunc: "#e8822a", rtCrun: "#3a9e3a"}

const (
	chartWidth  = 960
	labelWidth  = 360 // left column with the measurement names
	plotWidth   = 500
	barHeight   = 13
	barGap      = 2
	groupGap    = 16
	chartTop    = 70
	chartBottom = 50
)

type chartBar struct {
	Y, Width     float64
	Color, Label string
	LabelX       float64
	Runtime      string
	HasValue     bool
	RatioToCrun  float64
}

type chartGroup struct {
	LabelY float64
	Label  string
	Bars   []chartBar
}

type chartTick struct {
	X     float64
	Label string
}

type chartData struct {
	Width, Height, PlotLeft, PlotRight, PlotTop, PlotBottom float64
	OneX, BarHeight                                         float64
	Title                                                   string
	Groups                                                  []chartGroup
	Ticks                                                   []chartTick
	Legend                                                  []chartBar
}

// chartSVG draws every non-detail row of the report.
func chartSVG(res *results, rows []row, title string) ([]byte, error) {
	var shown []row
	for _, rw := range rows {
		if !rw.detail {
			shown = append(shown, rw)
		}
	}
	scaleMax := chartScale(res, shown)
	d := chartData{
		Width: chartWidth, PlotLeft: labelWidth, PlotRight: labelWidth + plotWidth,
		PlotTop: chartTop, Title: title, BarHeight: barHeight,
	}
	x := func(v float64) float64 { return labelWidth + v/scaleMax*plotWidth }
	y := float64(chartTop)
	for _, rw := range shown {
		g := chartGroup{Label: rw.label}
		crun := res.value(rw, rtCrun)
		for _, name := range runtimeNames {
			r := ratio(res.value(rw, name), crun)
			b := chartBar{Y: y, Color: runtimeColors[name], Runtime: name, RatioToCrun: r}
			if b.HasValue = !math.IsNaN(r); b.HasValue {
				b.Width = x(r) - labelWidth
				b.Label = fmt.Sprintf("%.2f", r)
			} else {
				b.Label = "n/a"
			}
			b.LabelX = labelWidth + b.Width + 4
			g.Bars = append(g.Bars, b)
			y += barHeight + barGap
		}
		g.LabelY = y - (barHeight+barGap)*1.5 + 4
		d.Groups = append(d.Groups, g)
		y += groupGap
	}
	d.PlotBottom = y
	d.Height = y + chartBottom
	d.OneX = x(1)
	for v := 0.0; v <= scaleMax+1e-9; v += tickStep(scaleMax) {
		d.Ticks = append(d.Ticks, chartTick{X: x(v), Label: fmt.Sprintf("%.1f", v)})
	}
	for i, name := range runtimeNames {
		d.Legend = append(d.Legend, chartBar{Runtime: name, Color: runtimeColors[name], LabelX: float64(labelWidth + i*130)})
	}
	var buf bytes.Buffer
	if err := chartTemplate.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("render chart: %w", err)
	}
	return buf.Bytes(), nil
}

// chartScale is the x axis' end: the largest ratio rounded up to a tick,
// at least 1.5 so that crun's 1.0 line is never at the edge.
func chartScale(res *results, rows []row) float64 {
	top := 1.5
	for _, rw := range rows {
		crun := res.value(rw, rtCrun)
		for _, name := range runtimeNames {
			if r := ratio(res.value(rw, name), crun); !math.IsNaN(r) && !math.IsInf(r, 0) {
				top = max(top, r)
			}
		}
	}
	step := tickStep(top)
	return math.Ceil(top/step) * step
}

func tickStep(top float64) float64 {
	switch {
	case top <= 3:
		return 0.5
	case top <= 8:
		return 1
	default:
		return math.Ceil(top / 8)
	}
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

var chartTemplate = template.Must(template.New("chart").Funcs(template.FuncMap{"esc": xmlEscape}).Parse(
	`<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">
<rect x="0" y="0" width="{{.Width}}" height="{{.Height}}" fill="#ffffff"/>
<text x="10" y="22" font-size="15" font-weight="bold">{{esc .Title}}</text>
{{range .Legend}}<rect x="{{.LabelX}}" y="36" width="14" height="14" fill="{{.Color}}"/><text x="{{.LabelX}}" dx="20" y="48">{{.Runtime}}</text>
{{end}}<text x="10" y="48" fill="#555555">time (or memory) ÷ crun's — shorter is better</text>
{{range .Ticks}}<line x1="{{.X}}" y1="{{$.PlotTop}}" x2="{{.X}}" y2="{{$.PlotBottom}}" stroke="#e4e4e4"/><text x="{{.X}}" y="{{$.PlotBottom}}" dy="16" text-anchor="middle" fill="#555555">{{.Label}}</text>
{{end}}<line x1="{{.OneX}}" y1="{{.PlotTop}}" x2="{{.OneX}}" y2="{{.PlotBottom}}" stroke="#3a9e3a" stroke-dasharray="4,3"/>
<text x="{{.OneX}}" y="{{.PlotBottom}}" dy="32" text-anchor="middle" fill="#3a9e3a">crun = 1.0</text>
{{range .Groups}}<text x="{{$.PlotLeft}}" dx="-10" y="{{.LabelY}}" text-anchor="end">{{esc .Label}}</text>
{{range .Bars}}<rect class="bar" data-runtime="{{.Runtime}}" x="{{$.PlotLeft}}" y="{{.Y}}" width="{{.Width}}" height="{{$.BarHeight}}" fill="{{.Color}}"/><text x="{{.LabelX}}" y="{{.Y}}" dy="11" font-size="11">{{.Label}}</text>
{{end}}{{end}}</svg>
`))
