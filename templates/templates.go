// Package templates holds the document templates shipped with the bot. An
// admin can replace each with a file of their own (see the README).
package templates

import _ "embed"

// DraftDOCX is the default template of a draft reply letter (ciorna/draft):
// a Word document with {{name}} placeholders. Its source is the XML under
// ciorna/; `UPDATE_TEMPLATES=1 go test ./templates` rebuilds it.
//
//go:embed ciorna.docx
var DraftDOCX []byte

// NoteDOCX is the default template of a briefing note for the Mayor
// (nota-informare): source under nota-informare/.
//
//go:embed nota-informare.docx
var NoteDOCX []byte

// ReferatDOCX is the default template of a referat for an item (referat):
// source under referat/.
//
//go:embed referat.docx
var ReferatDOCX []byte
