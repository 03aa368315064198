package telegram

import (
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// Telegram takes at most 4096 characters a message; a page stays well under
// it (the HTML is longer than the text Telegram counts, so measuring the
// HTML is safe).
const (
	maxPageChars = 3500
	maxLineRunes = 1000 // a longer line is cut into several
	// A last page this short is folded into the one before: no "More" for
	// two lines.
	minLastPage = 3
)

// esc escapes user text for Telegram's HTML parse mode.
func esc(s string) string { return html.EscapeString(s) }

// renderPages writes a reply as Telegram HTML, in pages of at most perPage
// lines (the title and fields on the first). A reply with no text gives no
// page.
func renderPages(r commands.Reply, perPage int) []string {
	title := ""
	if r.Title != "" {
		title = "<b>" + esc(r.Title) + "</b>"
		switch r.Kind {
		case commands.Invalid, commands.Failed:
			title = "⚠️ " + title
		case commands.Denied:
			title = "⛔ " + title
		}
	}
	var body []string
	for _, f := range r.Fields {
		body = append(body, "<i>"+esc(f.Label)+":</i> "+esc(f.Value))
	}
	for _, l := range r.Lines {
		for _, part := range cutLine(l) {
			body = append(body, esc(part))
		}
	}
	chunks := paginate(body, perPage, maxPageChars-len(title)-16)
	if len(chunks) == 0 {
		if title == "" {
			return nil
		}
		return []string{title}
	}
	pages := make([]string, len(chunks))
	for i, c := range chunks {
		head := title
		if len(chunks) > 1 {
			head = strings.TrimSpace(head + " <i>(" + strconv.Itoa(i+1) + "/" + strconv.Itoa(len(chunks)) + ")</i>")
		}
		pages[i] = strings.TrimSpace(head + "\n" + strings.Join(c, "\n"))
	}
	return pages
}

// paginate splits lines into pages of at most perPage lines and maxChars
// characters, without blank lines at a page's edges, folding a very short
// last page into the one before when it fits.
func paginate(lines []string, perPage, maxChars int) [][]string {
	var pages [][]string
	var cur []string
	size := 0
	flush := func() {
		cur = trimBlank(cur)
		if len(cur) > 0 {
			pages = append(pages, cur)
		}
		cur, size = nil, 0
	}
	for _, l := range lines {
		if len(cur) >= perPage || (len(cur) > 0 && size+len(l)+1 > maxChars) {
			flush()
		}
		if len(cur) == 0 && strings.TrimSpace(l) == "" {
			continue
		}
		cur = append(cur, l)
		size += len(l) + 1
	}
	flush()
	if n := len(pages); n > 1 && len(pages[n-1]) <= minLastPage {
		prev, last := pages[n-2], pages[n-1]
		if chars(prev)+chars(last) <= maxChars {
			pages = append(pages[:n-2], append(prev, last...))
		}
	}
	return pages
}

func chars(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	return n
}

func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// cutLine cuts a very long line (a pasted letter) into pieces a page holds.
func cutLine(s string) []string {
	if utf8.RuneCountInString(s) <= maxLineRunes {
		return []string{s}
	}
	var out []string
	r := []rune(s)
	for len(r) > maxLineRunes {
		out = append(out, string(r[:maxLineRunes]))
		r = r[maxLineRunes:]
	}
	return append(out, string(r))
}

// Callback data of the bot's buttons (Telegram allows 64 bytes):
//
//	c|COMMAND               run a command as the one who pressed
//	f|KEY,KEY|COMMAND       ask for the keys, then run the command with them
//	p|SET|N                 show page N of a paged reply
const maxCallbackData = 64

// actionButtons makes the buttons of a reply's actions, two to a row. An
// action whose command does not fit in a button's data gets no button: it is
// returned to be shown as the command to type.
func actionButtons(acts []commands.Action) (rows [][]models.InlineKeyboardButton, typed []string) {
	var row []models.InlineKeyboardButton
	for _, act := range acts {
		data := "c|" + act.Command
		if len(act.Inputs) > 0 {
			data = "f|" + strings.Join(act.Inputs, ",") + "|" + act.Command
		}
		if len(data) > maxCallbackData || act.Command == "" {
			typed = append(typed, act.Command)
			continue
		}
		row = append(row, models.InlineKeyboardButton{Text: act.Label, CallbackData: data})
		if len(row) == 2 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows, typed
}

func moreButton(set string, page int, english bool) models.InlineKeyboardButton {
	label := "Mai mult ▾"
	if english {
		label = "More ▾"
	}
	return models.InlineKeyboardButton{Text: label, CallbackData: "p|" + set + "|" + strconv.Itoa(page)}
}

// keyboard builds an inline keyboard, or nil (no markup) when there are no
// rows.
func keyboard(rows [][]models.InlineKeyboardButton) models.ReplyMarkup {
	if len(rows) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}
