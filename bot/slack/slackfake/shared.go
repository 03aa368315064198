package slackfake

import (
	"fmt"
	"net/http"
)

// Files people share with a message: the event lists them with their
// url_private_download, which the bot fetches with its token (as Slack
// requires: a GET with "Authorization: Bearer xoxb-…").

// NewReplyWithFile is a message in a thread that does not mention the bot,
// with a file shared with it (subtype file_share).
func (s *Server) NewReplyWithFile(user, channel, threadTS, text, name, mime string, content []byte) Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.ts()
	id := fmt.Sprintf("F%06d", s.next())
	s.shared[id] = File{Name: name, Channel: channel, ThreadTS: threadTS, Content: content}
	file := map[string]any{"id": id, "name": name, "mimetype": mime, "size": len(content),
		"url_private": s.URL + "/files-pri/" + id, "url_private_download": s.URL + "/files-pri/" + id + "?download=1"}
	return Sent{TS: ts, Events: []Event{eventsAPI(s.callback(map[string]any{"type": "message", "subtype": "file_share",
		"channel": channel, "user": user, "text": typed(text), "ts": ts, "thread_ts": threadTS,
		"channel_type": channelType(channel), "files": []any{file}}))}}
}

// ReplyWithFile delivers NewReplyWithFile.
func (s *Server) ReplyWithFile(user, channel, threadTS, text, name, mime string, content []byte) Sent {
	return s.Deliver(s.NewReplyWithFile(user, channel, threadTS, text, name, mime, content))
}

// download serves a shared file to the bot's token only.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls["files.download"]++
	f, ok := s.shared[r.PathValue("id")]
	s.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+BotToken {
		s.refuse("a shared file fetched without the bot token")
		http.Error(w, "not authorized", http.StatusForbidden)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(f.Content)
}
