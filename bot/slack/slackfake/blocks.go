package slackfake

import (
	"encoding/json"
	"sort"
	"strings"
	"time"
)

// Message is a message the bot posted.
type Message struct {
	Channel  string
	TS       string // "" for response-URL answers; an ephemeral message's cannot be replied to
	ThreadTS string
	Text     string
	Blocks   json.RawMessage
	// Ephemeral messages are seen by User alone.
	Ephemeral bool
	User      string
	// Broadcast thread replies are also shown in the channel.
	Broadcast bool
	// ViaResponseURL answers came through a slash command's response URL.
	ViaResponseURL bool
}

// AllText is the message's text and every text of its blocks (titles,
// fields, buttons), one per line: what a person reads.
func (m Message) AllText() string {
	parts := []string{m.Text}
	var blocks []any
	_ = json.Unmarshal(m.Blocks, &blocks)
	walk(blocks, func(obj map[string]any) {
		if t, ok := obj["type"].(string); ok && (t == "mrkdwn" || t == "plain_text") {
			if s, ok := obj["text"].(string); ok {
				parts = append(parts, s)
			}
		}
	})
	return strings.Join(parts, "\n")
}

// Button is a button of a message.
type Button struct {
	BlockID  string
	ActionID string
	Text     string
	Value    string
	Style    string
}

// Buttons lists the message's buttons.
func (m Message) Buttons() []Button {
	var out []Button
	var blocks []map[string]any
	_ = json.Unmarshal(m.Blocks, &blocks)
	for _, b := range blocks {
		if b["type"] != "actions" {
			continue
		}
		blockID, _ := b["block_id"].(string)
		els, _ := b["elements"].([]any)
		for _, e := range els {
			el, _ := e.(map[string]any)
			if el["type"] != "button" {
				continue
			}
			btn := Button{BlockID: blockID}
			btn.ActionID, _ = el["action_id"].(string)
			btn.Value, _ = el["value"].(string)
			btn.Style, _ = el["style"].(string)
			if t, ok := el["text"].(map[string]any); ok {
				btn.Text, _ = t["text"].(string)
			}
			out = append(out, btn)
		}
	}
	return out
}

// View is a modal the bot opened.
type View struct {
	ID              string
	User            string // who it was opened for
	CallbackID      string
	PrivateMetadata string
	Title           string
	Blocks          json.RawMessage
	// After is how long after its trigger was made (the click, the command)
	// the view was opened.
	After time.Duration
}

// Input is one input of a modal.
type Input struct {
	BlockID  string
	ActionID string
	Type     string // plain_text_input, static_select, datepicker…
	Label    string
	Optional bool
	Options  []string // the values of a select
	Initial  string   // the initial option's value
}

// Inputs lists the modal's inputs in order.
func (v View) Inputs() []Input {
	var out []Input
	var blocks []map[string]any
	_ = json.Unmarshal(v.Blocks, &blocks)
	for _, b := range blocks {
		if b["type"] != "input" {
			continue
		}
		in := Input{}
		in.BlockID, _ = b["block_id"].(string)
		in.Optional, _ = b["optional"].(bool)
		if l, ok := b["label"].(map[string]any); ok {
			in.Label, _ = l["text"].(string)
		}
		el, _ := b["element"].(map[string]any)
		in.Type, _ = el["type"].(string)
		in.ActionID, _ = el["action_id"].(string)
		opts, _ := el["options"].([]any)
		for _, o := range opts {
			if om, ok := o.(map[string]any); ok {
				if val, ok := om["value"].(string); ok {
					in.Options = append(in.Options, val)
				}
			}
		}
		if io, ok := el["initial_option"].(map[string]any); ok {
			in.Initial, _ = io["value"].(string)
		}
		out = append(out, in)
	}
	return out
}

// File is a file the bot uploaded and shared.
type File struct {
	ID       string
	Name     string
	Title    string
	Channel  string
	ThreadTS string
	Content  []byte
}

// walk calls fn on every JSON object inside v.
func walk(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { // the text of a block before its fields and elements
			if (keys[i] == "text") != (keys[j] == "text") {
				return keys[i] == "text"
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			walk(x[k], fn)
		}
	case []any:
		for _, c := range x {
			walk(c, fn)
		}
	}
}
