package charts

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"
)

const romanian = "ăâîșțĂÂÎȘȚşţ"

func TestFontsHaveRomanianLetters(t *testing.T) {
	if !Covers(romanian + "„”–…") {
		t.Fatal("the chart fonts lack Romanian letters")
	}
	if Covers("\u4e2d") {
		t.Fatal("Covers accepts a letter the fonts lack: the check proves nothing")
	}
}

// decode opens a PNG and returns it with the share of pixels that are not
// the background colour.
func decode(t *testing.T, b []byte) (image.Image, float64) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	bg := img.At(0, 0)
	r0, g0, b0, _ := bg.RGBA()
	bounds, other := img.Bounds(), 0
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r != r0 || g != g0 || b != b0 {
				other++
			}
		}
	}
	return img, float64(other) / float64(bounds.Dx()*bounds.Dy())
}

func TestBarsAndLinesArePNGs(t *testing.T) {
	bars, err := Bars("Deschise și restante pe departamente — Direcția Tehnică", []string{"DT", "DAS", "DPM", "nerepartizate"},
		[]Series{{"Deschise", []float64{12, 5, 3, 1}, Neutral}, {"Restanțe", []float64{4, 0, 2, 1}, Alert}})
	if err != nil {
		t.Fatal(err)
	}
	lines, err := Lines("Înregistrate și rezolvate pe săptămâni", []string{"02.11", "09.11", "16.11", "23.11"},
		[]Series{{"Înregistrate", []float64{40, 52, 47, 20}, Neutral}, {"Rezolvate", []float64{30, 45, 50, 18}, Good}})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"bars": bars, "lines": lines} {
		img, ink := decode(t, b)
		if img.Bounds().Dx() != width || img.Bounds().Dy() != height {
			t.Errorf("%s: %v, want %dx%d", name, img.Bounds(), width, height)
		}
		if ink < 0.01 {
			t.Errorf("%s: only %.4f of the pixels are drawn", name, ink)
		}
		if dir := os.Getenv("CHARTS_OUT"); dir != "" {
			_ = os.WriteFile(dir+"/"+name+".png", b, 0o644)
		}
	}
}

func TestBadInputIsRefused(t *testing.T) {
	if _, err := Bars("x", nil, nil); err == nil {
		t.Error("empty chart drawn")
	}
	if _, err := Lines("x", []string{"a", "b"}, []Series{{"s", []float64{1}, Neutral}}); err == nil {
		t.Error("a series shorter than its labels drawn")
	}
}
