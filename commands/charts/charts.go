// Package charts draws the report's charts as PNG images with
// github.com/go-analyze/charts, in the Go fonts (golang.org/x/image), which
// have every Romanian letter (ă â î ș ț, with comma below, and the older ş ţ
// with cedilla), so labels such as "Direcția Tehnică" render as written.
package charts

import (
	"fmt"
	"math"
	"sync"

	gocharts "github.com/go-analyze/charts"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Series is one named row of values.
type Series struct {
	Name   string
	Values []float64
	Tone   Tone
}

// Tone says what a series means, and so its colour.
type Tone int

// The tones.
const (
	Neutral Tone = iota // blue
	Alert               // red: overdue
	Good                // green: resolved
)

var toneColors = map[Tone]gocharts.Color{
	Neutral: gocharts.ColorRGB(0x41, 0x6a, 0xc4),
	Alert:   gocharts.ColorRGB(0xd6, 0x3b, 0x2f),
	Good:    gocharts.ColorRGB(0x3a, 0x9a, 0x4a),
}

// theme colours the series by their tones.
func theme(series []Series) gocharts.ColorPalette {
	colors := make([]gocharts.Color, len(series))
	for i, s := range series {
		colors[i] = toneColors[s.Tone]
	}
	return gocharts.GetTheme(gocharts.ThemeLight).WithSeriesColors(colors)
}

// The sizes of the images: wide enough for a dozen department codes, and
// legible when a phone shrinks them to its width.
const (
	width  = 1000
	height = 560
)

var (
	fontsOnce sync.Once
	fontsErr  error
	regular   *truetype.Font
	bold      *truetype.Font
)

// fonts parses the embedded Go fonts once.
func fonts() error {
	fontsOnce.Do(func() {
		if regular, fontsErr = truetype.Parse(goregular.TTF); fontsErr != nil {
			return
		}
		bold, fontsErr = truetype.Parse(gobold.TTF)
	})
	if fontsErr != nil {
		return fmt.Errorf("charts: load fonts: %w", fontsErr)
	}
	return nil
}

// Covers reports whether the chart fonts have a glyph for every rune of s.
func Covers(s string) bool {
	if fonts() != nil {
		return false
	}
	for _, r := range s {
		if regular.Index(r) == 0 || bold.Index(r) == 0 {
			return false
		}
	}
	return true
}

func textStyle(size float64, f *truetype.Font) gocharts.FontStyle {
	return gocharts.FontStyle{Font: f, FontSize: size, FontColor: gocharts.ColorBlack}
}

func title(text string) gocharts.TitleOption {
	return gocharts.TitleOption{Text: text, Offset: gocharts.OffsetCenter, FontStyle: textStyle(17, bold)}
}

func legend(series []Series) gocharts.LegendOption {
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = s.Name
	}
	return gocharts.LegendOption{SeriesNames: names, Offset: gocharts.OffsetStr{Left: gocharts.PositionCenter, Top: "34"}, FontStyle: textStyle(13, regular)}
}

func values(series []Series) [][]float64 {
	out := make([][]float64, len(series))
	for i, s := range series {
		out[i] = s.Values
	}
	return out
}

// whole formats axis values: counts have no decimals.
func whole(f float64) string { return fmt.Sprintf("%.0f", math.Round(f)) }

// countAxis makes a value axis for counts: from 0 to a round maximum, with
// a whole step (1, 2, 5, 10, 20, 50…), so every label is the true value of
// its line.
func countAxis(axis *gocharts.ValueAxisOption, series []Series) {
	top := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	step := 1.0
	for mult := 0; top/step > 8; mult++ {
		step *= []float64{2, 2.5, 2}[mult%3] // 1, 2, 5, 10, 20, 50…
	}
	axisMax := math.Max(step, math.Ceil(top/step)*step)
	if axisMax == top {
		axisMax += step // room for the labels above the highest bar
	}
	axis.Min, axis.Max = gocharts.Ptr(0.0), gocharts.Ptr(axisMax)
	axis.LabelCount = int(axisMax/step) + 1
	axis.PreferNiceIntervals = gocharts.Ptr(false)
	axis.LabelFontStyle = textStyle(12, regular)
	axis.ValueFormatter = whole
}

// check refuses what would draw a broken chart.
func check(labels []string, series []Series) error {
	if len(labels) == 0 || len(series) == 0 {
		return fmt.Errorf("charts: nothing to draw")
	}
	for _, s := range series {
		if len(s.Values) != len(labels) {
			return fmt.Errorf("charts: series %q has %d values for %d labels", s.Name, len(s.Values), len(labels))
		}
	}
	return nil
}

// Bars draws grouped vertical bars: one group per label, one bar per series,
// each bar with its value on top.
func Bars(titleText string, labels []string, series []Series) ([]byte, error) {
	if err := check(labels, series); err != nil {
		return nil, err
	}
	if err := fonts(); err != nil {
		return nil, err
	}
	opt := gocharts.NewBarChartOptionWithData(values(series))
	opt.Theme = theme(series)
	opt.Title = title(titleText)
	opt.Legend = legend(series)
	opt.Padding = gocharts.NewBox(20, 20, 30, 20)
	opt.CategoryAxis.Labels = labels
	opt.CategoryAxis.LabelFontStyle = textStyle(12, regular)
	if len(labels) > 8 {
		opt.CategoryAxis.LabelRotation = gocharts.DegreesToRadians(30)
	}
	opt.ValueFormatter = whole
	for i := range opt.ValueAxis {
		countAxis(&opt.ValueAxis[i], series)
	}
	opt.SeriesLabelPosition = gocharts.PositionTop
	for i := range opt.SeriesList {
		opt.SeriesList[i].Label.Show = gocharts.Ptr(len(labels) <= 16)
		opt.SeriesList[i].Label.FontStyle = textStyle(11, regular)
		opt.SeriesList[i].Label.ValueFormatter = whole
	}
	return paint("bar chart", func(p *gocharts.Painter) error { return p.BarChart(opt) })
}

// paint draws a chart on a new PNG painter and returns the image.
func paint(what string, draw func(*gocharts.Painter) error) ([]byte, error) {
	p := gocharts.NewPainter(gocharts.PainterOptions{OutputFormat: gocharts.ChartOutputPNG, Width: width, Height: height})
	if err := draw(p); err != nil {
		return nil, fmt.Errorf("charts: %s: %w", what, err)
	}
	b, err := p.Bytes()
	if err != nil {
		return nil, fmt.Errorf("charts: encode: %w", err)
	}
	return b, nil
}

// Lines draws one line per series over the labels.
func Lines(titleText string, labels []string, series []Series) ([]byte, error) {
	if err := check(labels, series); err != nil {
		return nil, err
	}
	if err := fonts(); err != nil {
		return nil, err
	}
	opt := gocharts.NewLineChartOptionWithData(values(series))
	opt.Theme = theme(series)
	opt.Title = title(titleText)
	opt.Legend = legend(series)
	opt.Padding = gocharts.NewBox(20, 20, 30, 20)
	opt.XAxis.Labels = labels
	opt.XAxis.LabelFontStyle = textStyle(12, regular)
	if len(labels) > 14 {
		opt.XAxis.LabelRotation = gocharts.DegreesToRadians(45)
	}
	opt.ValueFormatter = whole
	for i := range opt.YAxis {
		countAxis(&opt.YAxis[i], series)
	}
	opt.LineStrokeWidth = 2.5
	return paint("line chart", func(p *gocharts.Painter) error { return p.LineChart(opt) })
}
