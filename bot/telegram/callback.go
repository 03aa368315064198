package telegram

import (
	"context"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// onCallback handles a button press. Every press is answered
// (answerCallbackQuery), whatever happens after: Telegram shows a spinner
// and sends the query again until it is.
func (a *Adapter) onCallback(ctx context.Context, q *models.CallbackQuery, ev string) error {
	answered := false
	answer := func(text string) {
		if !answered {
			answered = true
			a.answer(ctx, q.ID, text)
		}
	}
	defer answer("")
	chat, msgID := callbackMessage(q)
	private := chat == q.From.ID
	kind, rest, _ := strings.Cut(q.Data, "|")
	switch kind {
	case "p":
		return a.nextPage(q, chat, msgID, rest, ev, answer)
	case "c":
		answer("")
		return a.runButton(ctx, q, chat, msgID, private, rest, ev)
	case "f":
		inputs, command, _ := strings.Cut(rest, "|")
		if _, known, _ := a.engine.Caller(identity(&q.From)); !known {
			// No form for strangers: the engine refuses them (once).
			answer("")
			return a.runButton(ctx, q, chat, msgID, private, command, ev)
		}
		answer("")
		item := a.itemOfMessage(chat, msgID)
		a.later(chat, ev, func(ctx context.Context) error {
			return a.askInputs(ctx, q, chat, msgID, item, command, strings.Split(inputs, ","))
		})
		return nil
	default:
		a.log.Warn("telegram: unknown button", "data", q.Data, "who", q.From.ID)
		return nil
	}
}

// answer answers a callback query; a failure is only logged (the query may
// be too old, after a restart).
func (a *Adapter) answer(ctx context.Context, id, text string) {
	err := a.call(ctx, 0, func(ctx context.Context) error {
		_, err := a.b.AnswerCallbackQuery(ctx, answerParams(id, text))
		return err
	})
	if err != nil {
		a.log.Warn("telegram: answer callback query", "err", err)
	}
}

// runButton runs the command of a button as the one who pressed it, about
// the item the pressed message shows.
func (a *Adapter) runButton(ctx context.Context, q *models.CallbackQuery, chat int64, msgID int, private bool, command, ev string) error {
	req := commands.Request{Who: identity(&q.From), Text: command, EventID: ev, Item: a.itemOfMessage(chat, msgID)}
	reply := a.engine.Handle(ctx, req)
	replyTo := 0
	if !private {
		replyTo = msgID
	}
	a.later(chat, ev, func(ctx context.Context) error {
		return a.respond(ctx, chat, private, q.From.ID, replyTo, reply, false)
	})
	return nil
}

// nextPage sends the next page of a paged reply and takes the "More" button
// off the pressed message.
func (a *Adapter) nextPage(q *models.CallbackQuery, chat int64, msgID int, rest, ev string, answer func(string)) error {
	set, num, _ := strings.Cut(rest, "|")
	n, err := strconv.Atoi(num)
	ps, ok := a.pages.get(set, a.engine.Now())
	if err != nil || !ok || n < 2 || n > len(ps.pages) || ps.chat != chat {
		answer(pick(strings.HasPrefix(q.From.LanguageCode, "en"),
			"Lista nu mai este disponibilă; cereți-o din nou.", "This list is no longer available; ask for it again."))
		return nil
	}
	answer("")
	var keep [][]models.InlineKeyboardButton
	if n == 2 {
		keep = ps.actions // the first message keeps its own buttons
	}
	var rows [][]models.InlineKeyboardButton
	if n < len(ps.pages) {
		rows = [][]models.InlineKeyboardButton{{moreButton(set, n+1, ps.english)}}
	}
	edited := false
	a.later(chat, ev, func(ctx context.Context) error {
		if !edited { // a retry sends the page again, not the edit
			a.editButtons(ctx, chat, msgID, keep)
			edited = true
		}
		_, err := a.sendMessage(ctx, chat, ps.pages[n-1], 0, keyboard(rows))
		return err
	})
	return nil
}

// Examples shown in the prompt of a button that needs input.
var inputExamples = map[string]string{
	"raspuns": "4521", "data": "20.11.2026", "zile": "15", "termen": "10.12.2026",
	"motiv": `"petiție anonimă"`, "institutie": `"Prefectura Cluj"`, "departament": "DT",
	"text": `"Da, din capitolul 70.02"`,
}

// askInputs asks, with a ForceReply prompt, for what a button needs (the
// answer's number…); the presser's reply to the prompt completes the command.
// Telegram has no forms for bots: a short question and one reply is the
// closest, and the typed command works as well.
func (a *Adapter) askInputs(ctx context.Context, q *models.CallbackQuery, chat int64, msgID int, item, command string, inputs []string) error {
	english := strings.HasPrefix(q.From.LanguageCode, "en")
	var want, ex []string
	for _, in := range inputs {
		want = append(want, in)
		if e, ok := inputExamples[in]; ok {
			ex = append(ex, e)
		} else {
			ex = append(ex, "…")
		}
	}
	if item != "" && !strings.Contains(command, item) {
		command += " " + item
	}
	mention := `<a href="tg://user?id=` + strconv.FormatInt(q.From.ID, 10) + `">` + esc(identity(&q.From).Name) + `</a>`
	prompt := mention + ", " + pick(english,
		"pentru <b>"+esc(command)+"</b> răspundeți la acest mesaj cu: "+esc(strings.Join(want, " "))+
			"\nde exemplu: <code>"+esc(strings.Join(ex, " "))+"</code> („-” sare o valoare)",
		"for <b>"+esc(command)+"</b> reply to this message with: "+esc(strings.Join(want, " "))+
			"\nfor instance: <code>"+esc(strings.Join(ex, " "))+"</code> (“-” skips a value)")
	force := &models.ForceReply{ForceReply: true, Selective: true, InputFieldPlaceholder: strings.Join(ex, " ")}
	m, err := a.sendMessage(ctx, chat, prompt, msgID, force)
	if err != nil {
		return err
	}
	a.forms.put(form{chat: chat, prompt: m.ID, user: q.From.ID, command: command, inputs: inputs, english: english, at: a.engine.Now()})
	return nil
}
