package docx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	_ "image/png" // charts are PNG
	"strings"
)

// The namespaces of an inline picture, declared on the elements that use
// them so that any template's document element will do.
const (
	nsWP     = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
	nsA      = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsPic    = "http://schemas.openxmlformats.org/drawingml/2006/picture"
	nsR      = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	relImage = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
	// maxWidth is the widest a picture is shown: 16 cm, in EMU.
	maxWidth = 16 * 360000
)

// Images replaces the paragraph of word/document.xml that holds marker (a
// text a placeholder was filled with) by one paragraph per PNG image, each
// at most 16 cm wide; with no images the paragraph goes. The images become
// word/media/cabinetbot-N.png, with their relationships and content type.
func Images(doc []byte, marker string, pngs [][]byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		return nil, fmt.Errorf("docx: not a DOCX (zip) file: %w", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, h *zip.FileHeader, data []byte) error {
		if h == nil {
			h = &zip.FileHeader{Name: name, Method: zip.Deflate}
		}
		h.CompressedSize64, h.UncompressedSize64, h.CRC32 = 0, 0, 0
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			return fmt.Errorf("docx: write %s: %w", name, err)
		}
		return nil
	}
	found := false
	for _, f := range zr.File {
		data, err := readEntry(f)
		if err != nil {
			return nil, err
		}
		switch f.Name {
		case "word/document.xml":
			s := string(data)
			i := strings.Index(s, marker)
			if i < 0 {
				break
			}
			start := max(strings.LastIndex(s[:i], "<w:p>"), strings.LastIndex(s[:i], "<w:p "))
			end := strings.Index(s[i:], "</w:p>")
			if start < 0 || end < 0 {
				return nil, fmt.Errorf("docx: the images' place is not in a paragraph")
			}
			var pics strings.Builder
			for n, png := range pngs {
				cfg, _, err := image.DecodeConfig(bytes.NewReader(png))
				if err != nil || cfg.Width == 0 {
					return nil, fmt.Errorf("docx: image %d is not a PNG: %v", n+1, err)
				}
				cx := maxWidth
				cy := cx * cfg.Height / cfg.Width
				id := n + 1
				fmt.Fprintf(&pics, `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline xmlns:wp="%s" distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="Grafic %d"/><a:graphic xmlns:a="%s"><a:graphicData uri="%s"><pic:pic xmlns:pic="%s"><pic:nvPicPr><pic:cNvPr id="%d" name="cabinetbot-%d.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip xmlns:r="%s" r:embed="rIdCabinetbot%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
					nsWP, cx, cy, 1000+id, id, nsA, nsPic, nsPic, 1000+id, id, nsR, id, cx, cy)
			}
			data = []byte(s[:start] + pics.String() + s[i+end+len("</w:p>"):])
			found = true
		case "word/_rels/document.xml.rels":
			var rels strings.Builder
			for n := range pngs {
				fmt.Fprintf(&rels, `<Relationship Id="rIdCabinetbot%d" Type="%s" Target="media/cabinetbot-%d.png"/>`, n+1, relImage, n+1)
			}
			data = []byte(strings.Replace(string(data), "</Relationships>", rels.String()+"</Relationships>", 1))
		case "[Content_Types].xml":
			if s := string(data); !strings.Contains(strings.ToLower(s), `extension="png"`) {
				data = []byte(strings.Replace(s, "</Types>", `<Default Extension="png" ContentType="image/png"/></Types>`, 1))
			}
		}
		h := f.FileHeader
		if err := put(f.Name, &h, data); err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, fmt.Errorf("docx: the images' place (%s) is not in word/document.xml", marker)
	}
	for n, png := range pngs {
		if err := put(fmt.Sprintf("word/media/cabinetbot-%d.png", n+1), nil, png); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return buf.Bytes(), nil
}
