// Package docx fills {{name}} placeholders in a Word (DOCX) template.
//
// A DOCX file is a zip of XML parts; the text a person reads is in <w:t>
// elements of word/document.xml and of the headers and footers. Word splits
// text into runs as it likes (an edit in the middle of {{numar}} can leave
// "{{nu" and "mar}}" in two runs), so placeholders are found in the text of a
// whole paragraph and the replacement is put in the run where the
// placeholder starts; the runs it spilled over lose those characters and keep
// their formatting. Values are XML-escaped; a line break in a value becomes a
// <w:br/>. Everything else in the file is copied unchanged.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"regexp"
	"sort"
	"strings"
)

var (
	// textNode matches a <w:t> element with its attributes and text.
	textNode = regexp.MustCompile(`<w:t(\s[^>]*)?>([^<]*)</w:t>`)
	// placeholder matches {{name}} in the text of a paragraph.
	placeholder = regexp.MustCompile(`\{\{\s*([a-z_]+)\s*\}\}`)
	// paraEnd ends a paragraph: a placeholder never spans one.
	paraEnd = regexp.MustCompile(`</w:p>`)
)

// isTextPart reports whether a zip entry holds document text.
func isTextPart(name string) bool {
	if name == "word/document.xml" {
		return true
	}
	for _, p := range []string{"word/header", "word/footer"} {
		if strings.HasPrefix(name, p) && strings.HasSuffix(name, ".xml") && !strings.Contains(name[len(p):], "/") {
			return true
		}
	}
	return false
}

// Fill returns the template with its placeholders replaced by values. The
// names of placeholders without a value are returned in unknown (they are
// left as they are, for a person to see).
func Fill(template []byte, values map[string]string) (out []byte, unknown []string, err error) {
	zr, err := zip.NewReader(bytes.NewReader(template), int64(len(template)))
	if err != nil {
		return nil, nil, fmt.Errorf("docx: not a DOCX (zip) file: %w", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	missing := map[string]bool{}
	hasDocument := false
	for _, f := range zr.File {
		data, err := readEntry(f)
		if err != nil {
			return nil, nil, err
		}
		if isTextPart(f.Name) {
			hasDocument = hasDocument || f.Name == "word/document.xml"
			data = fillPart(data, values, missing)
		}
		h := f.FileHeader
		h.CompressedSize64, h.UncompressedSize64, h.CRC32 = 0, 0, 0
		w, err := zw.CreateHeader(&h)
		if err != nil {
			return nil, nil, fmt.Errorf("docx: write %s: %w", f.Name, err)
		}
		if _, err := w.Write(data); err != nil {
			return nil, nil, fmt.Errorf("docx: write %s: %w", f.Name, err)
		}
	}
	if !hasDocument {
		return nil, nil, fmt.Errorf("docx: the file has no word/document.xml: not a Word document")
	}
	if err := zw.Close(); err != nil {
		return nil, nil, fmt.Errorf("docx: %w", err)
	}
	for name := range missing {
		unknown = append(unknown, name)
	}
	sort.Strings(unknown)
	return buf.Bytes(), unknown, nil
}

// Placeholders lists the placeholder names a template uses, sorted.
func Placeholders(template []byte) ([]string, error) {
	_, names, err := Fill(template, nil)
	return names, err
}

func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("docx: open %s: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("docx: read %s: %w", f.Name, err)
	}
	return b, nil
}

// node is one <w:t> element of a part.
type node struct {
	attrStart, attrEnd int // the attributes in the part ([attrStart, attrEnd))
	textStart, textEnd int // the escaped text in the part
	text               string
	para               int // the paragraph it is in (count of </w:p> before it)
	changed            bool
}

// fillPart replaces the placeholders of one XML part.
func fillPart(part []byte, values map[string]string, missing map[string]bool) []byte {
	locs := textNode.FindAllSubmatchIndex(part, -1)
	if len(locs) == 0 {
		return part
	}
	ends := paraEnd.FindAllIndex(part, -1)
	nodes := make([]node, len(locs))
	var joined strings.Builder
	starts := make([]int, len(locs)) // offset of each node's text in joined
	p := 0
	for i, l := range locs {
		for p < len(ends) && ends[p][0] < l[0] {
			p++
		}
		n := node{attrStart: l[2], attrEnd: l[3], textStart: l[4], textEnd: l[5], para: p}
		if l[2] < 0 {
			n.attrStart, n.attrEnd = l[0]+len("<w:t"), l[0]+len("<w:t")
		}
		n.text = html.UnescapeString(string(part[l[4]:l[5]]))
		starts[i] = joined.Len()
		joined.WriteString(n.text)
		nodes[i] = n
	}
	text := joined.String()
	// where maps the offset of a character of the joined text to its node
	// (the last one starting at or before it: empty nodes start where the
	// next one does) and its offset inside that node.
	where := func(off int) (int, int) {
		i := sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
		return i, off - starts[i]
	}
	matches := placeholder.FindAllStringSubmatchIndex(text, -1)
	for m := len(matches) - 1; m >= 0; m-- {
		loc := matches[m]
		name := text[loc[2]:loc[3]]
		a, sa := where(loc[0])
		b, eb := where(loc[1] - 1)
		eb++ // the end is just after the last character
		if nodes[a].para != nodes[b].para {
			continue // not one paragraph: not a placeholder
		}
		value, ok := values[name]
		if !ok {
			missing[name] = true
			continue
		}
		if a == b {
			t := nodes[a].text
			nodes[a].text = t[:sa] + value + t[eb:]
			nodes[a].changed = true
			continue
		}
		nodes[a].text = nodes[a].text[:sa] + value
		for i := a + 1; i < b; i++ {
			nodes[i].text = ""
			nodes[i].changed = true
		}
		nodes[b].text = nodes[b].text[eb:]
		nodes[a].changed, nodes[b].changed = true, true
	}
	var out bytes.Buffer
	last := 0
	for _, n := range nodes {
		if !n.changed {
			continue
		}
		out.Write(part[last:n.attrStart])
		attrs := string(part[n.attrStart:n.attrEnd])
		if !strings.Contains(attrs, "xml:space=") {
			attrs += ` xml:space="preserve"`
		}
		out.WriteString(attrs)
		out.WriteString(">")
		out.WriteString(escapeText(n.text))
		last = n.textEnd
	}
	out.Write(part[last:])
	return out.Bytes()
}

// escapeText escapes a value for the inside of <w:t>: XML's special
// characters, characters XML cannot hold (as U+FFFD), and line breaks as
// <w:br/> between two <w:t> of the same run.
func escapeText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			b.WriteString(`</w:t><w:br/><w:t xml:space="preserve">`)
		}
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(line)) // writes to a buffer: cannot fail
		b.Write(e.Bytes())
	}
	return b.String()
}
