package commands

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"strings"
	"testing"
)

// openDOCX reads a Word document as a reader would: the zip, every part,
// and the text of word/document.xml (checked to be well-formed XML).
func openDOCX(t *testing.T, b []byte) (text string, parts map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts = map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"} {
		d := xml.NewDecoder(bytes.NewReader(parts[name]))
		var sb strings.Builder
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed: %v", name, err)
			}
			if cd, ok := tok.(xml.CharData); ok && name == "word/document.xml" {
				sb.Write(cd)
			}
			if el, ok := tok.(xml.StartElement); ok && name == "word/document.xml" && (el.Name.Local == "p" || el.Name.Local == "br") {
				sb.WriteString("\n")
			}
		}
		if name == "word/document.xml" {
			text = sb.String()
		}
	}
	return text, parts
}

func docOf(t *testing.T, r Reply) []byte {
	t.Helper()
	if r.Kind != OK || len(r.Files) != 1 || r.Files[0].MIME != mimeDOCX || !strings.HasSuffix(r.Files[0].Name, ".docx") {
		t.Fatalf("no DOCX: %s %+v", flat(r), r.Files)
	}
	return r.Files[0].Data
}

func TestNoteOfInformationForAPeriodHasTheFiguresAndCharts(t *testing.T) {
	f := newFixture(t)
	r := f.as(anaID, "nota-informare 23.11.2026-29.11.2026")
	text, parts := openDOCX(t, docOf(t, r))
	for _, want := range []string{"NOTĂ DE INFORMARE", "întregul registru", "23.11.2026–29.11.2026",
		"Înregistrate: 9", "Rezolvate: 3 (33%)", "La termen: 2 (66%)", "Restante acum: 1 (din 26.11.2026)", "Întocmit: Ana Pop"} {
		if !strings.Contains(text, want) {
			t.Errorf("the note lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, imagesMarker) || strings.Contains(text, "{{") {
		t.Errorf("placeholders left:\n%s", text)
	}
	// The report's two charts, as pictures of the document.
	rels, types := string(parts["word/_rels/document.xml.rels"]), string(parts["[Content_Types].xml"])
	for i := 1; i <= 2; i++ {
		name := "word/media/cabinetbot-" + string(rune('0'+i)) + ".png"
		img, err := png.Decode(bytes.NewReader(parts[name]))
		if err != nil || img.Bounds().Dx() < 100 {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(rels, `Target="media/cabinetbot-`+string(rune('0'+i))+`.png"`) ||
			!strings.Contains(string(parts["word/document.xml"]), `r:embed="rIdCabinetbot`+string(rune('0'+i))+`"`) {
			t.Errorf("picture %d is not tied to its image", i)
		}
	}
	if !strings.Contains(types, `Extension="png"`) {
		t.Error("no content type for PNG")
	}

	// One department's figures.
	text, _ = openDOCX(t, docOf(t, f.as(anaID, "nota-informare departament=DT 23.11.2026-29.11.2026")))
	if !strings.Contains(text, "Direcția Tehnică") && !strings.Contains(text, "DT") {
		t.Errorf("the department's note does not name it:\n%s", text)
	}
}

func TestNoteOfInformationAndReferatForAnItem(t *testing.T) {
	f := newFixture(t)
	n := f.n["i3"]
	text, parts := openDOCX(t, docOf(t, f.as(anaID, "nota-informare "+n)))
	for _, want := range []string{"Nr. " + n, "privind înregistrarea nr. " + n + " — Groapă", "înregistrată", "repartizată", "DAS"} {
		if !strings.Contains(text, want) {
			t.Errorf("the item's note lacks %q:\n%s", want, text)
		}
	}
	for name := range parts {
		if strings.HasPrefix(name, "word/media/") {
			t.Errorf("an item's note has a picture: %s", name)
		}
	}
	text, _ = openDOCX(t, docOf(t, f.as(anaID, "referat "+n)))
	for _, want := range []string{"REFERAT", "privind Groapă", "Nr. " + n, "Ion Pop", "petiție", "Istoricul lucrării", "repartizată din nou"} {
		if !strings.Contains(text, want) {
			t.Errorf("the referat lacks %q:\n%s", want, text)
		}
	}
	// The templates are handed out; bad input changes nothing.
	for _, line := range []string{"nota-informare sablon", "referat sablon"} {
		if r := f.as(anaID, line); len(r.Files) != 1 || !strings.HasPrefix(r.Files[0].Name, "sablon-") {
			t.Errorf("%s: %s", line, flat(r))
		}
	}
	f.refuses(t, anaID, "referat 999/2026", "Nu există înregistrarea 999/2026")
	f.refuses(t, dtID, "referat "+n, "")
}
