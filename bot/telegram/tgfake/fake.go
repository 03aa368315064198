// Package tgfake is a fake Telegram Bot API server for tests: an httptest
// server on 127.0.0.1 that speaks the HTTP Bot API the way go-telegram/bot
// calls it (multipart POSTs to /bot<token>/<method>, nested objects as JSON
// fields). It keeps the update queue as Telegram does (an update is
// forgotten once getUpdates is called with an offset past it, long polls
// wait for new updates), checks the HTML of messages as Telegram's parser
// does, and records every message, callback answer, menu and webhook.
// Faults are injected per method: 429 with retry_after, 403 for a blocked
// chat, or a hook that holds a message.
package tgfake

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// Token is the bot token the fake accepts; the bot's ID is its prefix.
const Token = "123456:TEST-token"

// BotID and BotName are the bot's identity (getMe).
const (
	BotID   = 123456
	BotName = "cabinetbot"
)

// Message is a message the bot posted (or a user's, pushed by the test).
type Message struct {
	ID         int
	Chat       int64
	From       int64  // the user ID, or BotID
	Text       string // as the reader sees it (HTML parsed)
	HTML       string // as sent
	ReplyTo    int
	Buttons    [][]Button
	ForceReply bool
	Document   string // a file's name (sendDocument)
	Data       []byte
	Edits      int // how many times its buttons were edited
}

// Button is an inline keyboard button.
type Button struct {
	Text string
	Data string
}

// Answer is an answered callback query.
type Answer struct {
	QueryID string
	Text    string
}

// Server is the fake Bot API.
type Server struct {
	URL string

	srv     *httptest.Server
	mu      sync.Mutex
	changed chan struct{} // closed and replaced at every change
	updates []update
	nextUpd int64
	nextMsg map[int64]int
	msgs    map[msgKey]*Message
	sent    []*Message // the bot's messages, in order
	queries map[string]bool
	answers []Answer
	menus   map[string][]models.BotCommand
	hookURL string
	secret  string
	faults  []*fault
	blocked map[int64]bool
	calls   map[string]int
	polling int
	onSend  func(m Message) error
	holds   map[string]chan struct{} // method → closed when its calls may go on
	chats   map[string]models.Chat   // public @username → the chat (getChat)
	files   map[string][]byte        // file_id → content (documents users sent)
	moved   map[int64]int64          // a group that became a supergroup → its new ID
	drops   []*fault                 // calls whose connection is dropped unanswered
	slow    map[int64]time.Duration
}

type update struct {
	id  int64
	raw []byte
}

type msgKey struct {
	chat int64
	id   int
}

type fault struct {
	method     string
	chat       int64
	code       int
	desc       string
	retryAfter int
	times      int
}

// New starts a fake; it is closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{changed: make(chan struct{}), nextMsg: map[int64]int{}, msgs: map[msgKey]*Message{}, queries: map[string]bool{},
		menus: map[string][]models.BotCommand{}, blocked: map[int64]bool{}, calls: map[string]int{}, files: map[string][]byte{},
		holds: map[string]chan struct{}{}, chats: map[string]models.Chat{}, moved: map[int64]int64{}, slow: map[int64]time.Duration{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Close stops the server.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// notify wakes waiters (called with mu held).
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Private is the private chat with a user.
func Private(u models.User) models.Chat {
	return models.Chat{ID: u.ID, Type: models.ChatTypePrivate, FirstName: u.FirstName}
}

// Group is a supergroup (its ID must be negative).
func Group(id int64, title string) models.Chat {
	return models.Chat{ID: id, Type: models.ChatTypeSupergroup, Title: title}
}

// PushText queues a text message from a user in a chat, optionally replying
// to an earlier message of that chat. It returns the update and message IDs.
func (s *Server) PushText(chat models.Chat, from models.User, text string, replyTo int) (int64, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMsg[chat.ID]++
	id := s.nextMsg[chat.ID]
	m := &models.Message{ID: id, From: &from, Chat: chat, Date: int(time.Now().Unix()), Text: text}
	if replyTo != 0 {
		if r := s.msgs[msgKey{chat.ID, replyTo}]; r != nil {
			m.ReplyToMessage = s.modelOf(r, chat)
		}
	}
	s.msgs[msgKey{chat.ID, id}] = &Message{ID: id, Chat: chat.ID, From: from.ID, Text: text, ReplyTo: replyTo}
	return s.queue(map[string]any{"message": m}), id
}

func (s *Server) modelOf(r *Message, chat models.Chat) *models.Message {
	from := models.User{ID: r.From, FirstName: "user"}
	if r.From == BotID {
		from = models.User{ID: BotID, IsBot: true, FirstName: "Cabinet", Username: BotName}
	}
	return &models.Message{ID: r.ID, From: &from, Chat: chat, Date: int(time.Now().Unix()), Text: r.Text}
}

// PushDocument queues a document a user sends, with a caption (the command
// that takes it). The bot fetches it with getFile and the download link.
func (s *Server) PushDocument(chat models.Chat, from models.User, caption, name, mime string, data []byte) (int64, int) {
	return s.PushDocumentReply(chat, from, caption, name, mime, data, 0)
}

// PushDocumentReply is PushDocument in reply to an earlier message of the
// chat (0: none).
func (s *Server) PushDocumentReply(chat models.Chat, from models.User, caption, name, mime string, data []byte, replyTo int) (int64, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMsg[chat.ID]++
	id := s.nextMsg[chat.ID]
	fileID := fmt.Sprintf("doc%d-%d", chat.ID, id)
	s.files[fileID] = data
	m := &models.Message{ID: id, From: &from, Chat: chat, Date: int(time.Now().Unix()), Caption: caption,
		Document: &models.Document{FileID: fileID, FileUniqueID: fileID, FileName: name, MimeType: mime, FileSize: int64(len(data))}}
	if replyTo != 0 {
		if r := s.msgs[msgKey{chat.ID, replyTo}]; r != nil {
			m.ReplyToMessage = s.modelOf(r, chat)
		}
	}
	s.msgs[msgKey{chat.ID, id}] = &Message{ID: id, Chat: chat.ID, From: from.ID, Text: caption, Document: name, Data: data, ReplyTo: replyTo}
	return s.queue(map[string]any{"message": m}), id
}

// PushCallback queues the press of a button (its data) on a message of a
// chat. It returns the update ID and the callback query ID.
func (s *Server) PushCallback(chat models.Chat, from models.User, msgID int, data string) (int64, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	qid := fmt.Sprintf("q%d", s.nextUpd+1)
	s.queries[qid] = true
	msg := map[string]any{"message_id": msgID, "chat": chat, "date": time.Now().Unix(), "text": ""}
	if m := s.msgs[msgKey{chat.ID, msgID}]; m != nil {
		msg["text"] = m.Text
		msg["from"] = models.User{ID: m.From, IsBot: m.From == BotID}
	}
	q := map[string]any{"id": qid, "from": from, "message": msg, "chat_instance": "1", "data": data}
	return s.queue(map[string]any{"callback_query": q}), qid
}

// queue adds an update (called with mu held).
func (s *Server) queue(body map[string]any) int64 {
	s.nextUpd++
	body["update_id"] = s.nextUpd
	raw, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	s.updates = append(s.updates, update{s.nextUpd, raw})
	s.notify()
	return s.nextUpd
}

// LastUpdate is the ID of the last update queued.
func (s *Server) LastUpdate() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextUpd
}

// Raw returns the JSON of a queued update (to post it to a webhook).
func (s *Server) Raw(id int64) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.updates {
		if u.id == id {
			return u.raw
		}
	}
	return nil
}

// Fail makes the next `times` calls of method (to chat, or to any chat when
// chat is 0) fail with an API error.
func (s *Server) Fail(method string, chat int64, code int, desc string, retryAfter, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, chat: chat, code: code, desc: desc, retryAfter: retryAfter, times: times})
}

// ClearFaults drops the faults still queued (Fail, Drop).
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.drops = nil, nil
}

// Block makes a chat refuse the bot's messages (403), as a user who blocked
// the bot or a group that removed it.
func (s *Server) Block(chat int64, blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chat] = blocked
}

// Hold makes the calls of a method wait until release is called (a slow or
// unreachable Telegram).
func (s *Server) Hold(method string) (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{})
	s.holds[method] = ch
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

// Public gives a chat a public @username: getChat finds it by that name,
// and messages sent to the name reach the chat.
func (s *Server) Public(username string, chat models.Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chat.Username = strings.TrimPrefix(username, "@")
	s.chats["@"+strings.ToLower(chat.Username)] = chat
}

// getChat finds a chat by its numeric ID or its public @username, as the
// Bot API does for chats the bot may see.
func (s *Server) getChat(id string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, c := range s.chats {
		if strings.EqualFold(id, name) || id == strconv.FormatInt(c.ID, 10) {
			return models.ChatFullInfo{ID: c.ID, Type: c.Type, Title: c.Title, Username: c.Username}, nil
		}
	}
	return nil, &apiError{code: 400, desc: "Bad Request: chat not found"}
}

// chatOf is the numeric chat a chat_id names: a number, or a public
// @username (0 when it names none).
func (s *Server) chatOf(id string) int64 {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.chats[strings.ToLower(id)].ID
}

// OnSend sets a hook called (without locks) before a message the bot posts
// is accepted; an error it returns fails the call with a 500.
func (s *Server) OnSend(fn func(m Message) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onSend = fn
}

// Sent returns the messages the bot posted, in order (copies).
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.sent))
	for i, m := range s.sent {
		out[i] = *m
	}
	return out
}

// SentTo returns the messages the bot posted in one chat.
func (s *Server) SentTo(chat int64) []Message {
	var out []Message
	for _, m := range s.Sent() {
		if m.Chat == chat {
			out = append(out, m)
		}
	}
	return out
}

// Answers returns the answered callback queries.
func (s *Server) Answers() []Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Answer(nil), s.answers...)
}

// Menu returns the commands set for a language ("" is the default).
func (s *Server) Menu(lang string) []models.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.menus[lang]
}

// Webhook returns the webhook URL and secret set ("" when none).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookURL, s.secret
}

// Calls counts the calls of a method.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// CallsTo counts the calls of a method made to one chat (answered or not).
func (s *Server) CallsTo(method string, chat int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[fmt.Sprintf("%s@%d", method, chat)]
}

// Unconfirmed counts the updates Telegram still holds (not yet confirmed by
// a getUpdates with a higher offset).
func (s *Server) Unconfirmed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// WaitFor waits until cond holds, re-checking at every change of the fake
// (and every few milliseconds, for conditions outside it); the test fails
// after 10 s.
func (s *Server) WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond) // for conditions outside the fake
	defer tick.Stop()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; the bot sent:\n%s", what, s.Dump())
		}
	}
}

// Dump writes the bot's messages, for failure messages.
func (s *Server) Dump() string {
	var b strings.Builder
	for _, m := range s.Sent() {
		fmt.Fprintf(&b, "  [%d #%d reply %d] %q %v\n", m.Chat, m.ID, m.ReplyTo, m.Text, m.Buttons)
	}
	return b.String()
}

// apiError is an error answer of the Bot API.
type apiError struct {
	code       int
	desc       string
	retryAfter int
	migrateTo  int64
}

// Migrate makes a group a supergroup with a new ID: sends to the old ID
// fail with 400 and migrate_to_chat_id, as Telegram answers.
func (s *Server) Migrate(old, to int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.moved[old] = to
}

// PushMigration queues the service message Telegram posts in a group that
// became a supergroup (migrate_to_chat_id).
func (s *Server) PushMigration(old models.Chat, from models.User, to int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.moved[old.ID] = to
	s.nextMsg[old.ID]++
	m := &models.Message{ID: s.nextMsg[old.ID], From: &from, Chat: old, Date: int(time.Now().Unix()), MigrateToChatID: to}
	return s.queue(map[string]any{"message": m})
}

// Drop makes the next `times` calls of method (to chat, or to any chat when
// chat is 0) end with the connection closed and no answer, as a network
// failure does (the call is not carried out).
func (s *Server) Drop(method string, chat int64, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drops = append(s.drops, &fault{method: method, chat: chat, times: times})
}

// Slow makes every message sent to chat take d before it is answered (a
// chat whose sends are slow: a large group, a congested link).
func (s *Server) Slow(chat int64, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slow[chat] = d
}

// dropped tells whether a call is to be dropped (called with mu held).
func (s *Server) dropped(method string, chat int64) bool {
	for i, f := range s.drops {
		if f.method == method && (f.chat == 0 || f.chat == chat) {
			if f.times--; f.times <= 0 {
				s.drops = append(s.drops[:i], s.drops[i+1:]...)
			}
			return true
		}
	}
	return false
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+Token+"/documents/"); ok {
		s.mu.Lock()
		data, found := s.files[rest]
		s.calls["download"]++
		s.mu.Unlock()
		if !found {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
		return
	}
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if !ok || token != Token {
		write(w, nil, &apiError{code: 401, desc: "Unauthorized"})
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil && r.ContentLength > 0 {
		write(w, nil, &apiError{code: 400, desc: "Bad Request: " + err.Error()})
		return
	}
	form := func(k string) string {
		if r.MultipartForm == nil || len(r.MultipartForm.Value[k]) == 0 {
			return ""
		}
		return r.MultipartForm.Value[k][0]
	}
	chat := s.chatOf(form("chat_id"))
	s.mu.Lock()
	s.calls[method]++
	if chat != 0 {
		s.calls[fmt.Sprintf("%s@%d", method, chat)]++
	}
	hold := s.holds[method]
	s.notify()
	s.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	if s.dropped(method, chat) {
		s.mu.Unlock()
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if e := s.fault(method, chat); e != nil {
		s.mu.Unlock()
		write(w, nil, e)
		return
	}
	delay := s.slow[chat]
	s.mu.Unlock()
	if delay > 0 && (method == "sendMessage" || method == "sendDocument") {
		time.Sleep(delay)
	}
	var result any
	var err *apiError
	switch method {
	case "getMe":
		result = models.User{ID: BotID, IsBot: true, FirstName: "Cabinet", Username: BotName}
	case "getUpdates":
		result, err = s.getUpdates(r.Context(), form)
	case "sendMessage", "sendDocument":
		result, err = s.send(r, method, chat, form)
	case "getChat":
		result, err = s.getChat(form("chat_id"))
	case "getFile":
		id := form("file_id")
		s.mu.Lock()
		data, found := s.files[id]
		s.mu.Unlock()
		if !found {
			err = &apiError{code: 400, desc: "Bad Request: invalid file_id"}
			break
		}
		result = models.File{FileID: id, FileUniqueID: id, FileSize: int64(len(data)), FilePath: "documents/" + id}
	case "answerCallbackQuery":
		result, err = s.answerQuery(form("callback_query_id"), form("text"))
	case "editMessageReplyMarkup":
		result, err = s.editMarkup(chat, form)
	case "setMyCommands":
		var cmds []models.BotCommand
		if json.Unmarshal([]byte(form("commands")), &cmds) != nil || len(cmds) == 0 {
			err = &apiError{code: 400, desc: "Bad Request: commands are invalid"}
			break
		}
		s.mu.Lock()
		s.menus[form("language_code")] = cmds
		s.mu.Unlock()
		result = true
	case "setWebhook":
		s.mu.Lock()
		s.hookURL, s.secret = form("url"), form("secret_token")
		s.mu.Unlock()
		result = true
	case "deleteWebhook":
		s.mu.Lock()
		s.hookURL, s.secret = "", ""
		s.mu.Unlock()
		result = true
	default:
		err = &apiError{code: 404, desc: "Not Found: method not found"}
	}
	write(w, result, err)
}

// fault finds an injected fault for a call (called with mu held).
func (s *Server) fault(method string, chat int64) *apiError {
	if to := s.moved[chat]; to != 0 && chat != 0 {
		return &apiError{code: 400, desc: "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: to}
	}
	if (method == "sendMessage" || method == "sendDocument" || method == "editMessageReplyMarkup") && s.blocked[chat] {
		if chat < 0 {
			return &apiError{code: 403, desc: "Forbidden: bot was kicked from the supergroup chat"}
		}
		return &apiError{code: 403, desc: "Forbidden: bot was blocked by the user"}
	}
	for i, f := range s.faults {
		if f.method == method && (f.chat == 0 || f.chat == chat) {
			f.times--
			if f.times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			return &apiError{code: f.code, desc: f.desc, retryAfter: f.retryAfter}
		}
	}
	return nil
}

func write(w http.ResponseWriter, result any, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	if e != nil {
		body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
		if e.retryAfter > 0 {
			body["parameters"] = map[string]any{"retry_after": e.retryAfter}
		}
		if e.migrateTo != 0 {
			body["parameters"] = map[string]any{"migrate_to_chat_id": e.migrateTo}
		}
		w.WriteHeader(e.code)
		json.NewEncoder(w).Encode(body)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// getUpdates confirms the updates before the offset, then returns the rest,
// waiting up to the timeout for one to come.
func (s *Server) getUpdates(ctx context.Context, form func(string) string) (any, *apiError) {
	offset, _ := strconv.ParseInt(form("offset"), 10, 64)
	timeout, _ := strconv.Atoi(form("timeout"))
	s.mu.Lock()
	if s.hookURL != "" {
		s.mu.Unlock()
		return nil, &apiError{code: 409, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if s.polling > 0 {
		s.mu.Unlock()
		return nil, &apiError{code: 409, desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
	}
	s.polling++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.polling--
		s.mu.Unlock()
	}()
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if offset > 0 {
			kept := s.updates[:0]
			for _, u := range s.updates {
				if u.id >= offset {
					kept = append(kept, u)
				}
			}
			s.updates = kept
		}
		out := []json.RawMessage{}
		for _, u := range s.updates {
			if len(out) < 100 {
				out = append(out, u.raw)
			}
		}
		ch := s.changed
		s.mu.Unlock()
		if len(out) > 0 || timeout <= 0 {
			return out, nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			return out, nil
		case <-ctx.Done():
			return out, nil
		}
	}
}

// send posts a message (sendMessage) or a file (sendDocument).
func (s *Server) send(r *http.Request, method string, chat int64, form func(string) string) (any, *apiError) {
	if chat == 0 {
		return nil, &apiError{code: 400, desc: "Bad Request: chat not found"}
	}
	m := Message{Chat: chat, From: BotID, HTML: form("text")}
	if method == "sendDocument" {
		fh := r.MultipartForm.File["document"]
		if len(fh) == 0 {
			return nil, &apiError{code: 400, desc: "Bad Request: there is no document in the request"}
		}
		f, err := fh[0].Open()
		if err != nil {
			return nil, &apiError{code: 400, desc: "Bad Request: " + err.Error()}
		}
		defer f.Close()
		m.Document = fh[0].Filename
		if m.Data, err = io.ReadAll(f); err != nil {
			return nil, &apiError{code: 400, desc: "Bad Request: " + err.Error()}
		}
		m.HTML = form("caption")
	}
	if method == "sendMessage" {
		if form("parse_mode") != "HTML" {
			return nil, &apiError{code: 400, desc: "Bad Request: this fake expects parse_mode HTML"}
		}
		text, err := ParseHTML(m.HTML)
		if err != nil {
			return nil, &apiError{code: 400, desc: "Bad Request: can't parse entities: " + err.Error()}
		}
		if strings.TrimSpace(text) == "" {
			return nil, &apiError{code: 400, desc: "Bad Request: message text is empty"}
		}
		if utf16Len(text) > 4096 {
			return nil, &apiError{code: 400, desc: "Bad Request: message is too long"}
		}
		m.Text = text
	}
	if rp := form("reply_parameters"); rp != "" {
		var p models.ReplyParameters
		if err := json.Unmarshal([]byte(rp), &p); err != nil {
			return nil, &apiError{code: 400, desc: "Bad Request: can't parse reply parameters"}
		}
		m.ReplyTo = p.MessageID
	}
	if e := parseMarkup(form("reply_markup"), &m); e != nil {
		return nil, e
	}
	s.mu.Lock()
	hook := s.onSend
	s.mu.Unlock()
	if hook != nil {
		if err := hook(m); err != nil {
			return nil, &apiError{code: 500, desc: "Internal Server Error: " + err.Error()}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMsg[chat]++
	m.ID = s.nextMsg[chat]
	stored := m
	s.msgs[msgKey{chat, m.ID}] = &stored
	s.sent = append(s.sent, &stored)
	s.notify()
	res := models.Message{ID: m.ID, From: &models.User{ID: BotID, IsBot: true, Username: BotName}, Chat: models.Chat{ID: chat},
		Date: int(time.Now().Unix()), Text: m.Text}
	return res, nil
}

// parseMarkup reads an inline keyboard or a force-reply into m, checking the
// buttons as Telegram does.
func parseMarkup(raw string, m *Message) *apiError {
	if raw == "" {
		return nil
	}
	var mk struct {
		InlineKeyboard [][]models.InlineKeyboardButton `json:"inline_keyboard"`
		ForceReply     bool                            `json:"force_reply"`
	}
	if err := json.Unmarshal([]byte(raw), &mk); err != nil {
		return &apiError{code: 400, desc: "Bad Request: can't parse reply keyboard markup JSON object"}
	}
	m.ForceReply = mk.ForceReply
	m.Buttons = nil
	for _, row := range mk.InlineKeyboard {
		var out []Button
		for _, b := range row {
			if b.Text == "" {
				return &apiError{code: 400, desc: "Bad Request: text buttons are unallowed in the inline keyboard"}
			}
			if len(b.CallbackData) == 0 || len(b.CallbackData) > 64 {
				return &apiError{code: 400, desc: "Bad Request: BUTTON_DATA_INVALID"}
			}
			out = append(out, Button{Text: b.Text, Data: b.CallbackData})
		}
		m.Buttons = append(m.Buttons, out)
	}
	return nil
}

func (s *Server) answerQuery(id, text string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.queries[id] {
		return nil, &apiError{code: 400, desc: "Bad Request: query is too old and response timeout expired or query ID is invalid"}
	}
	delete(s.queries, id)
	s.answers = append(s.answers, Answer{QueryID: id, Text: text})
	s.notify()
	return true, nil
}

func (s *Server) editMarkup(chat int64, form func(string) string) (any, *apiError) {
	id, _ := strconv.Atoi(form("message_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.msgs[msgKey{chat, id}]
	if m == nil || m.From != BotID {
		return nil, &apiError{code: 400, desc: "Bad Request: message to edit not found"}
	}
	if e := parseMarkup(form("reply_markup"), m); e != nil {
		return nil, e
	}
	m.Edits++
	s.notify()
	return models.Message{ID: m.ID, Chat: models.Chat{ID: chat}, Date: int(time.Now().Unix()), Text: m.Text}, nil
}
