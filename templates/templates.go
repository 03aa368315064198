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

// MailAck is the default acknowledgement sent to whoever wrote to the
// Cabinet's mailbox, once their e-mail is registered: a text/template whose
// first line is "Subject: …", then a blank line and the body. Fields:
// .Number (N/YYYY), .Date (DD.MM.YYYY), .Deadline, .Name, .Subject.
// CABINET_ACK_TEMPLATE names a file to use instead.
//
//go:embed confirmare-email.txt
var MailAck string

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
