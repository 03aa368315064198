package slackfake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Event is what Slack sends an app: an Events API callback, a slash
// command or an interaction, by Socket Mode (in an envelope) or HTTP.
type Event struct {
	Kind    string // events_api, slash_commands, interactive
	Payload json.RawMessage
}

// Sent is something a person did: the events Slack sends for it, and the
// envelopes that carried them once delivered.
type Sent struct {
	TS        string // the message's ts (messages)
	Trigger   string // the trigger ID (slash commands, clicks, submissions)
	Events    []Event
	Envelopes []string
}

func eventsAPI(payload json.RawMessage) Event { return Event{Kind: "events_api", Payload: payload} }

// slackMarkup is what Slack keeps as markup in the text of a message: mentions
// of people, channels and groups, and links.
var slackMarkup = regexp.MustCompile(`<(?:[@#!]|https?://|mailto:)[^<>]*>`)

// typed is a message's text as Slack delivers what a person typed: &, < and
// > escaped, mentions and links kept as markup.
func typed(text string) string {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	var b strings.Builder
	last := 0
	for _, m := range slackMarkup.FindAllStringIndex(text, -1) {
		b.WriteString(esc.Replace(text[last:m[0]]))
		b.WriteString(text[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(esc.Replace(text[last:]))
	return b.String()
}

// callback wraps an inner event as an event_callback (called with mu held).
func (s *Server) callback(inner map[string]any) json.RawMessage {
	if inner["event_ts"] == nil {
		inner["event_ts"] = inner["ts"]
	}
	for k, v := range inner {
		if v == "" {
			delete(inner, k)
		}
	}
	b, _ := json.Marshal(map[string]any{"token": "fake-verification-token", "team_id": TeamID, "api_app_id": AppID,
		"type": "event_callback", "event_id": fmt.Sprintf("Ev%06d", s.next()), "event_time": time.Now().Unix(),
		"event": inner, "authorizations": []map[string]any{{"team_id": TeamID, "user_id": BotUserID, "is_bot": true}}})
	return b
}

// NewDM is a direct message from user to the bot (in a thread when
// threadTS is set).
func (s *Server) NewDM(user, text, threadTS string) Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.ts()
	text = typed(text)
	return Sent{TS: ts, Events: []Event{eventsAPI(s.callback(map[string]any{"type": "message", "channel": DMChannel(user),
		"user": user, "text": text, "ts": ts, "thread_ts": threadTS, "channel_type": "im"}))}}
}

// NewMention is a channel message that mentions the bot: Slack sends it
// twice, as app_mention and as a channel message.
func (s *Server) NewMention(user, channel, text, threadTS string) Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.ts()
	text = "<@" + BotUserID + "> " + typed(text)
	return Sent{TS: ts, Events: []Event{
		eventsAPI(s.callback(map[string]any{"type": "app_mention", "channel": channel, "user": user, "text": text, "ts": ts, "thread_ts": threadTS})),
		eventsAPI(s.callback(map[string]any{"type": "message", "channel": channel, "user": user, "text": text, "ts": ts,
			"thread_ts": threadTS, "channel_type": channelType(channel)})),
	}}
}

// NewChannelMessage is a message in a channel that does not mention the bot.
func (s *Server) NewChannelMessage(user, channel, text, threadTS string) Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.ts()
	text = typed(text)
	return Sent{TS: ts, Events: []Event{eventsAPI(s.callback(map[string]any{"type": "message", "channel": channel,
		"user": user, "text": text, "ts": ts, "thread_ts": threadTS, "channel_type": channelType(channel)}))}}
}

// NewChannelFile is a file a user shares in a channel (in a thread when
// threadTS is set) with text as its message (NewReplyWithFile).
func (s *Server) NewChannelFile(user, channel, text, threadTS, name, mime string, data []byte) Sent {
	return s.NewReplyWithFile(user, channel, threadTS, text, name, mime, data)
}

// trigger issues a trigger ID for user and a response URL for the
// conversation (called with mu held).
func (s *Server) trigger(user, channel string) (trigger, responseURL string) {
	n := s.next()
	trigger = fmt.Sprintf("trig-%04d", n)
	s.triggers[trigger] = user
	s.madeAt[trigger] = time.Now()
	id := strconv.Itoa(n)
	s.respURLs[id] = respTarget{channel: channel, user: user}
	return trigger, s.URL + "/response/" + id
}

// NewSlash is `/cabinet text` typed by user in channel.
func (s *Server) NewSlash(user, channel, text string) Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	trig, resp := s.trigger(user, channel)
	name := "general"
	if strings.HasPrefix(channel, "D") {
		name = "directmessage"
	}
	b, _ := json.Marshal(map[string]string{"token": "fake-verification-token", "team_id": TeamID, "team_domain": "fake",
		"channel_id": channel, "channel_name": name, "user_id": user, "user_name": strings.ToLower(user),
		"command": "/cabinet", "text": typed(text), "api_app_id": AppID, "response_url": resp, "trigger_id": trig})
	return Sent{Trigger: trig, Events: []Event{{Kind: "slash_commands", Payload: b}}}
}

// NewClick is user pressing the button labelled label on message m; the test
// fails when m has no such button.
func (s *Server) NewClick(user string, m Message, label string) Sent {
	s.t.Helper()
	var btn *Button
	for _, b := range m.Buttons() {
		if b.Text == label {
			btn = &b
			break
		}
	}
	if btn == nil {
		s.t.Fatalf("slackfake: no button %q on the message %q (buttons: %v)", label, truncate(m.AllText(), 200), m.Buttons())
		return Sent{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	trig, resp := s.trigger(user, m.Channel)
	container := map[string]any{"type": "message", "message_ts": m.TS, "channel_id": m.Channel, "is_ephemeral": m.Ephemeral}
	if m.ThreadTS != "" {
		container["thread_ts"] = m.ThreadTS
	}
	b, _ := json.Marshal(map[string]any{"type": "block_actions", "token": "fake-verification-token", "api_app_id": AppID,
		"team": map[string]any{"id": TeamID}, "user": map[string]any{"id": user, "username": strings.ToLower(user), "name": strings.ToLower(user), "team_id": TeamID},
		"container": container, "trigger_id": trig, "channel": map[string]any{"id": m.Channel},
		"message": map[string]any{"ts": m.TS, "thread_ts": m.ThreadTS, "text": m.Text}, "response_url": resp,
		"actions": []map[string]any{{"action_id": btn.ActionID, "block_id": btn.BlockID, "type": "button", "value": btn.Value,
			"text": map[string]any{"type": "plain_text", "text": btn.Text}, "action_ts": s.ts()}}})
	return Sent{Trigger: trig, Events: []Event{{Kind: "interactive", Payload: b}}}
}

// NewSubmit is user submitting modal v with values by block ID; the test
// fails when a value names no input, a select is given a value it does not
// offer, or a required input is left empty (Slack would not submit it).
func (s *Server) NewSubmit(user string, v View, values map[string]string) Sent {
	s.t.Helper()
	state := map[string]any{}
	seen := map[string]bool{}
	for _, in := range v.Inputs() {
		val, given := values[in.BlockID]
		seen[in.BlockID] = given
		if val == "" && in.Initial != "" {
			val = in.Initial
		}
		if val == "" && !in.Optional {
			s.t.Fatalf("slackfake: the required input %s (%s) of view %s is empty", in.BlockID, in.Label, v.ID)
		}
		el := map[string]any{"type": in.Type}
		switch in.Type {
		case "static_select":
			if val == "" {
				el["selected_option"] = nil
				break
			}
			ok := false
			for _, o := range in.Options {
				ok = ok || o == val
			}
			if !ok {
				s.t.Fatalf("slackfake: %q is not an option of %s (options: %v)", val, in.BlockID, in.Options)
			}
			el["selected_option"] = map[string]any{"value": val, "text": map[string]any{"type": "plain_text", "text": val}}
		case "datepicker":
			if val == "" {
				el["selected_date"] = nil
			} else {
				el["selected_date"] = val
			}
		default:
			if val == "" {
				el["value"] = nil
			} else {
				el["value"] = val
			}
		}
		state[in.BlockID] = map[string]any{in.ActionID: el}
	}
	for k := range values {
		if _, ok := seen[k]; !ok {
			s.t.Fatalf("slackfake: view %s has no input %s", v.ID, k)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	trig, _ := s.trigger(user, "")
	b, _ := json.Marshal(map[string]any{"type": "view_submission", "token": "fake-verification-token", "api_app_id": AppID,
		"team": map[string]any{"id": TeamID}, "user": map[string]any{"id": user, "username": strings.ToLower(user), "name": strings.ToLower(user), "team_id": TeamID},
		"trigger_id": trig, "view": map[string]any{"id": v.ID, "type": "modal", "callback_id": v.CallbackID,
			"private_metadata": v.PrivateMetadata, "hash": "h" + v.ID, "state": map[string]any{"values": state}}})
	return Sent{Trigger: trig, Events: []Event{{Kind: "interactive", Payload: b}}}
}

// DM delivers a direct message from user to the bot.
func (s *Server) DM(user, text string) Sent { return s.Deliver(s.NewDM(user, text, "")) }

// Mention delivers a channel message mentioning the bot.
func (s *Server) Mention(user, channel, text, threadTS string) Sent {
	return s.Deliver(s.NewMention(user, channel, text, threadTS))
}

// Reply delivers a message in a thread that does not mention the bot.
func (s *Server) Reply(user, channel, threadTS, text string) Sent {
	return s.Deliver(s.NewChannelMessage(user, channel, text, threadTS))
}

// Slash delivers `/cabinet text`.
func (s *Server) Slash(user, channel, text string) Sent {
	return s.Deliver(s.NewSlash(user, channel, text))
}

// Click delivers a button press.
func (s *Server) Click(user string, m Message, label string) Sent {
	s.t.Helper()
	return s.Deliver(s.NewClick(user, m, label))
}

// Submit delivers a modal's submission.
func (s *Server) Submit(user string, v View, values map[string]string) Sent {
	s.t.Helper()
	return s.Deliver(s.NewSubmit(user, v, values))
}

// Sign returns the X-Slack-Signature of a request body sent at ts.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%d:", ts)
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// Post sends the events of x to an HTTP Events API endpoint (base is the
// server's root: /slack/events, /slack/commands and /slack/interactions are
// added), signed with secret, and returns the status codes. attempt > 0
// marks Slack's retries (X-Slack-Retry-Num).
func Post(base, secret string, x Sent, attempt int) ([]int, error) {
	var codes []int
	for _, ev := range x.Events {
		path, body, ctype, err := httpForm(ev)
		if err != nil {
			return codes, err
		}
		req, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(body))
		if err != nil {
			return codes, err
		}
		ts := time.Now().Unix()
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("X-Slack-Signature", Sign(secret, ts, body))
		if attempt > 0 {
			req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(attempt))
			req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return codes, err
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	return codes, nil
}

// httpForm is how Slack posts an event over HTTP: callbacks as JSON, slash
// commands as a form, interactions as a form with a JSON payload field.
func httpForm(ev Event) (path string, body []byte, contentType string, err error) {
	switch ev.Kind {
	case "events_api":
		return "/slack/events", ev.Payload, "application/json", nil
	case "slash_commands":
		var fields map[string]string
		if err := json.Unmarshal(ev.Payload, &fields); err != nil {
			return "", nil, "", err
		}
		form := url.Values{}
		for k, v := range fields {
			form.Set(k, v)
		}
		return "/slack/commands", []byte(form.Encode()), "application/x-www-form-urlencoded", nil
	case "interactive":
		return "/slack/interactions", []byte(url.Values{"payload": {string(ev.Payload)}}.Encode()), "application/x-www-form-urlencoded", nil
	}
	return "", nil, "", fmt.Errorf("slackfake: unknown event kind %q", ev.Kind)
}
