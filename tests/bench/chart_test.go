package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"testing"
	"time"
)

// fakeResults gives each runtime fixed means for a run row and an RSS row.
func fakeResults(run map[string]time.Duration, rss map[string]int64) *results {
	res := newResults()
	for name, d := range run {
		res.add(name, Response{Samples: map[string][]time.Duration{metricRun: {d, d}}, PeakRSS: rss[name]})
	}
	return res
}

// barWidths parses the SVG and returns the width of each runtime's bars in
// document order; it fails the test on malformed XML.
func barWidths(t *testing.T, svg []byte) map[string][]float64 {
	t.Helper()
	out := map[string][]float64{}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, svg)
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "rect" {
			continue
		}
		var class, runtime, width string
		for _, a := range el.Attr {
			switch a.Name.Local {
			case "class":
				class = a.Value
			case "data-runtime":
				runtime = a.Value
			case "width":
				width = a.Value
			}
		}
		if class == "bar" {
			w, err := strconv.ParseFloat(width, 64)
			if err != nil {
				t.Fatalf("bar width %q: %v", width, err)
			}
			out[runtime] = append(out[runtime], w)
		}
	}
}

func TestChartNormalisesToCrun(t *testing.T) {
	res := fakeResults(
		map[string]time.Duration{rtOcirun: 20 * time.Millisecond, rtRunc: 30 * time.Millisecond, rtCrun: 10 * time.Millisecond},
		map[string]int64{rtOcirun: 100, rtRunc: 300, rtCrun: 200},
	)
	rows := []row{{key: metricRun, label: "run <&> quoted"}, {key: metricBurstRSS, label: "rss", memory: true}, {key: "x", label: "phase", detail: true}}
	svg, err := chartSVG(res, rows, "title & more")
	if err != nil {
		t.Fatal(err)
	}
	w := barWidths(t, svg)
	for _, name := range runtimeNames {
		if len(w[name]) != 2 {
			t.Fatalf("%s: %d bars, want 2 (detail rows are not drawn)", name, len(w[name]))
		}
	}
	crun := w[rtCrun][0]
	if crun <= 0 || w[rtCrun][1] != crun {
		t.Fatalf("crun bars %v: both must have the width of 1.0", w[rtCrun])
	}
	checks := map[string][2]float64{rtOcirun: {2, 0.5}, rtRunc: {3, 1.5}}
	for name, want := range checks {
		for i := range 2 {
			if got := w[name][i] / crun; math.Abs(got-want[i]) > 1e-6 {
				t.Errorf("%s bar %d = %.3f × crun, want %.3f", name, i, got, want[i])
			}
		}
	}
}

func TestChartWithoutCrunData(t *testing.T) {
	res := fakeResults(map[string]time.Duration{rtOcirun: time.Millisecond}, nil)
	svg, err := chartSVG(res, []row{{key: metricRun, label: "run"}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	w := barWidths(t, svg)
	if w[rtOcirun][0] != 0 || !bytes.Contains(svg, []byte("n/a")) {
		t.Errorf("with no crun number the bars must be empty and say n/a: %v", w)
	}
}
