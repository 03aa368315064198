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
