package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

const wns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// makeDocx builds a minimal DOCX with the given parts.
func makeDocx(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "word/header1.xml", "word/styles.xml"} {
		data, ok := parts[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func body(paras ...string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wns + `><w:body>` + strings.Join(paras, "") + `</w:body></w:document>`
}

// part reads one part of a DOCX and checks that it is well-formed XML.
func part(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v\n%s", name, err, data)
			}
		}
		return string(data)
	}
	t.Fatalf("no part %s", name)
	return ""
}

var tags = regexp.MustCompile(`<w:br/>`)

// plain is the text of a part as a reader sees it: paragraphs on lines.
func plain(x string) string {
	x = strings.ReplaceAll(x, "</w:p>", "\n")
	x = tags.ReplaceAllString(x, "⏎")
	x = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(x, "")
	r := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`)
	return r.Replace(x)
}

func TestFillReplacesSplitPlaceholdersAndEscapes(t *testing.T) {
	doc := body(
		// Split over three runs by an editor, with formatting on the middle one.
		`<w:p><w:r><w:t>Nr. {{nu</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>m</w:t></w:r><w:r><w:t xml:space="preserve">ar}} din {{data}}</w:t></w:r></w:p>`,
		`<w:p><w:r><w:t>Către: {{ destinatar }}</w:t></w:r></w:p>`,
		`<w:p><w:r><w:t>{{adresa}}</w:t></w:r></w:p>`,
		// Two placeholders and some text in one run; an entity kept as it is.
		`<w:p><w:r><w:t>A &amp; B: {{subiect}}/{{subiect}}</w:t></w:r></w:p>`,
		// Not a placeholder: it spans two paragraphs.
		`<w:p><w:r><w:t>{{</w:t></w:r></w:p><w:p><w:r><w:t>numar}}</w:t></w:r></w:p>`,
		`<w:p><w:r><w:t>{{necunoscut}}</w:t></w:r><w:r><w:t/></w:r></w:p>`,
	)
	header := `<w:hdr ` + wns + `><w:p><w:r><w:t>Ref. {{numar}}</w:t></w:r></w:p></w:hdr>`
	tpl := makeDocx(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": doc, "word/header1.xml": header, "word/styles.xml": "<w:styles " + wns + "/>"})
	out, unknown, err := Fill(tpl, map[string]string{
		"numar": "12/2026", "data": "25.11.2026", "destinatar": `Ion & <Maria> "Pop"`,
		"adresa": "Str. Horea 3\nCluj-Napoca", "subiect": "Groapă",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(unknown, []string{"necunoscut"}) {
		t.Errorf("unknown placeholders %v", unknown)
	}
	got := plain(part(t, out, "word/document.xml"))
	want := "Nr. 12/2026 din 25.11.2026\nCătre: Ion & <Maria> \"Pop\"\nStr. Horea 3⏎Cluj-Napoca\nA & B: Groapă/Groapă\n{{\nnumar}}\n{{necunoscut}}\n"
	if got != want {
		t.Errorf("document text:\n%s\nwant\n%s", got, want)
	}
	doc2 := part(t, out, "word/document.xml")
	if !strings.Contains(doc2, `<w:rPr><w:b/></w:rPr><w:t xml:space="preserve"></w:t>`) {
		t.Errorf("the middle run of a split placeholder should be emptied, keeping its formatting:\n%s", doc2)
	}
	if !strings.Contains(doc2, "Ion &amp; &lt;Maria&gt;") {
		t.Errorf("values are not escaped:\n%s", doc2)
	}
	if h := plain(part(t, out, "word/header1.xml")); h != "Ref. 12/2026\n" {
		t.Errorf("header %q", h)
	}
	if s := part(t, out, "word/styles.xml"); s != "<w:styles "+wns+"/>" {
		t.Errorf("other parts must be copied unchanged: %q", s)
	}
	names, err := Placeholders(tpl)
	if err != nil || !reflect.DeepEqual(names, []string{"adresa", "data", "destinatar", "necunoscut", "numar", "subiect"}) {
		t.Errorf("placeholders %v %v", names, err)
	}
}

func TestFillRefusesWhatIsNotADocx(t *testing.T) {
	if _, _, err := Fill([]byte("not a zip"), nil); err == nil {
		t.Error("accepted a non-zip")
	}
	if _, _, err := Fill(makeDocx(t, map[string]string{"[Content_Types].xml": "<Types/>"}), nil); err == nil {
		t.Error("accepted a zip without word/document.xml")
	}
}
