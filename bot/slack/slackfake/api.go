package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// request is a Web API call: a form post (token in a field) or JSON (token
// in the Authorization header).
type request struct {
	token string
	form  url.Values
	json  map[string]json.RawMessage
}

func (q request) get(name string) string {
	if q.json != nil {
		var s string
		if raw, ok := q.json[name]; ok && json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	return q.form.Get(name)
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func slackError(w http.ResponseWriter, code string) {
	reply(w, map[string]any{"ok": false, "error": code})
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	q := request{token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		body, _ := io.ReadAll(r.Body)
		if len(body) > 0 {
			if err := json.Unmarshal(body, &q.json); err != nil {
				slackError(w, "invalid_json")
				return
			}
		}
		if q.json == nil {
			q.json = map[string]json.RawMessage{}
		}
	} else {
		if err := r.ParseForm(); err != nil {
			slackError(w, "invalid_form_data")
			return
		}
		q.form = r.PostForm
		if t := q.form.Get("token"); t != "" {
			q.token = t
		}
	}
	s.mu.Lock()
	s.calls[method]++
	fault := s.takeFault(method, q.get("channel"))
	if f, ok := s.always[method]; ok && fault == nil {
		fault = &f
	}
	delay := s.slow[q.get("channel")]
	s.notify()
	s.mu.Unlock()
	if fault != nil && fault.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if delay > 0 && method == "chat.postMessage" {
		time.Sleep(delay)
	}
	if fault != nil {
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		if fault.Status != 0 && fault.Status != http.StatusOK {
			w.WriteHeader(fault.Status)
			return
		}
		if fault.Needed != "" {
			reply(w, map[string]any{"ok": false, "error": fault.Error, "needed": fault.Needed, "provided": fault.Provided})
			return
		}
		slackError(w, fault.Error)
		return
	}
	want := BotToken
	if method == "apps.connections.open" {
		want = AppToken
	}
	if q.token != want {
		s.refuse(fmt.Sprintf("%s: wrong token", method))
		slackError(w, "invalid_auth")
		return
	}
	switch method {
	case "auth.test":
		reply(w, map[string]any{"ok": true, "url": "https://fake.slack.com/", "team": "Primăria Cluj-Napoca",
			"user": "cabinet", "team_id": TeamID, "user_id": BotUserID, "bot_id": BotID})
	case "apps.connections.open":
		reply(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(s.URL, "http") + "/ws"})
	case "chat.postMessage":
		s.postMessage(w, q)
	case "chat.postEphemeral":
		s.postEphemeral(w, q)
	case "conversations.open":
		user, _, _ := strings.Cut(q.get("users"), ",")
		if user == "" {
			slackError(w, "user_not_found")
			return
		}
		reply(w, map[string]any{"ok": true, "channel": map[string]any{"id": DMChannel(user)}})
	case "views.open":
		s.openView(w, q)
	case "files.getUploadURLExternal":
		s.uploadURL(w, q)
	case "files.completeUploadExternal":
		s.completeUpload(w, q)
	default:
		slackError(w, "unknown_method")
	}
}

// takeFault takes the first fault queued for a call (called with mu held).
func (s *Server) takeFault(method, channel string) *Fault {
	for i, f := range s.faults[method] {
		if f.Channel == "" || f.Channel == channel {
			s.faults[method] = append(s.faults[method][:i:i], s.faults[method][i+1:]...)
			return &f
		}
	}
	return nil
}

func (s *Server) refuse(why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusals = append(s.refusals, why)
	s.notify()
}

func (s *Server) channelOf(q request) string {
	ch := q.get("channel")
	if strings.HasPrefix(ch, "U") {
		ch = DMChannel(ch)
	}
	return ch
}

func (s *Server) postMessage(w http.ResponseWriter, q request) {
	ch := s.channelOf(q)
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch == "" {
		slackError(w, "channel_not_found")
		return
	}
	if s.notIn[ch] {
		slackError(w, "not_in_channel")
		return
	}
	m := Message{Channel: ch, TS: s.ts(), ThreadTS: q.get("thread_ts"), Text: q.get("text"),
		Blocks: json.RawMessage(q.get("blocks")), Broadcast: q.get("reply_broadcast") == "true"}
	s.messages = append(s.messages, m)
	s.notify()
	if s.EchoBotMessages && s.conns > 0 {
		s.deliverLocked(eventsAPI(s.callback(map[string]any{"type": "message", "channel": ch, "user": BotUserID,
			"bot_id": BotID, "text": m.Text, "ts": m.TS, "thread_ts": m.ThreadTS, "channel_type": channelType(ch)})))
	}
	reply(w, map[string]any{"ok": true, "channel": ch, "ts": m.TS, "message": map[string]any{"text": m.Text, "ts": m.TS}})
}

func (s *Server) postEphemeral(w http.ResponseWriter, q request) {
	ch := s.channelOf(q)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notIn[ch] {
		slackError(w, "not_in_channel")
		return
	}
	m := Message{Channel: ch, TS: s.ts(), ThreadTS: q.get("thread_ts"), Text: q.get("text"), Blocks: json.RawMessage(q.get("blocks")),
		Ephemeral: true, User: q.get("user")}
	s.messages = append(s.messages, m)
	s.notify()
	reply(w, map[string]any{"ok": true, "message_ts": m.TS})
}

// response takes an answer posted to a slash command's response URL.
func (s *Server) response(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
		ResponseType string          `json:"response_type"`
		ThreadTS     string          `json:"thread_ts"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	to, ok := s.respURLs[r.PathValue("id")]
	if !ok {
		http.Error(w, "unknown response url", http.StatusNotFound)
		return
	}
	m := Message{Channel: to.channel, Text: body.Text, Blocks: body.Blocks, ViaResponseURL: true}
	if body.ResponseType != "in_channel" {
		m.Ephemeral, m.User = true, to.user
	}
	s.messages = append(s.messages, m)
	s.notify()
	reply(w, map[string]any{"ok": true})
}

func (s *Server) openView(w http.ResponseWriter, q request) {
	var trigger string
	_ = json.Unmarshal(q.json["trigger_id"], &trigger)
	var view struct {
		Type            string `json:"type"`
		CallbackID      string `json:"callback_id"`
		PrivateMetadata string `json:"private_metadata"`
		Title           struct{ Text string }
		Blocks          json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(q.json["view"], &view); err != nil || view.Type != "modal" {
		slackError(w, "invalid_arguments")
		return
	}
	if len([]rune(view.Title.Text)) > 24 || len(view.PrivateMetadata) > 3000 {
		slackError(w, "invalid_arguments")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	user, ok := s.triggers[trigger]
	switch {
	case !ok:
		slackError(w, "invalid_trigger_id")
		return
	case user == "", s.TriggerLife > 0 && time.Since(s.madeAt[trigger]) > s.TriggerLife:
		slackError(w, "expired_trigger_id")
		return
	}
	s.triggers[trigger] = ""
	v := View{ID: fmt.Sprintf("V%04d", s.next()), User: user, CallbackID: view.CallbackID,
		PrivateMetadata: view.PrivateMetadata, Title: view.Title.Text, Blocks: view.Blocks,
		After: time.Since(s.madeAt[trigger])}
	s.views = append(s.views, v)
	s.notify()
	reply(w, map[string]any{"ok": true, "view": map[string]any{"id": v.ID, "type": "modal", "callback_id": v.CallbackID}})
}

func (s *Server) uploadURL(w http.ResponseWriter, q request) {
	name := q.get("filename")
	if name == "" || q.get("length") == "" || q.get("length") == "0" {
		slackError(w, "invalid_arguments")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := fmt.Sprintf("F%04d", s.next())
	s.uploads[id] = &File{ID: id, Name: name}
	reply(w, map[string]any{"ok": true, "upload_url": s.URL + "/upload/" + id, "file_id": id})
}

// upload takes a file's content (a multipart form, as slack-go sends it).
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	f, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "no file", http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(f)
	s.mu.Lock()
	defer s.mu.Unlock()
	up, ok := s.uploads[r.PathValue("id")]
	if !ok {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	up.Content = data
	_, _ = fmt.Fprintf(w, "OK - %d", len(data))
}

func (s *Server) completeUpload(w http.ResponseWriter, q request) {
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(q.get("files")), &files); err != nil || len(files) == 0 {
		slackError(w, "invalid_arguments")
		return
	}
	ch := q.get("channel_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notIn[ch] {
		slackError(w, "not_in_channel")
		return
	}
	var out []map[string]any
	for _, f := range files {
		up, ok := s.uploads[f.ID]
		if !ok || up.Content == nil {
			slackError(w, "file_not_found")
			return
		}
		done := *up
		done.Title, done.Channel, done.ThreadTS = f.Title, ch, q.get("thread_ts")
		s.files = append(s.files, done)
		delete(s.uploads, f.ID)
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	s.notify()
	reply(w, map[string]any{"ok": true, "files": out})
}

func channelType(ch string) string {
	switch {
	case strings.HasPrefix(ch, "D"):
		return "im"
	case strings.HasPrefix(ch, "G"):
		return "group"
	}
	return "channel"
}
