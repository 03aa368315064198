package slack

import (
	"context"

	"github.com/cluj-napoca/cabinetbot/commands"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// Send posts a message nobody asked for — a department's new assignment, a
// notice to the Cabinet, later a digest — to a channel, or to a person's
// direct messages when chat is a user ID (U…). A message about an item that
// already has a thread in that conversation (the card the department or the
// Cabinet received) goes in that thread, shown in the channel too, and the
// ID returned is the thread's: that is where replies about the item go.
// Otherwise it is a new message and its ts is returned. Files are uploaded
// with it. Send implements bot.Platform.
func (a *Adapter) Send(ctx context.Context, chat string, r commands.Reply) (string, error) {
	if r.Silent {
		return "", nil
	}
	ch, err := a.web.conversation(ctx, chat)
	if err != nil {
		return "", err
	}
	t := target{Channel: ch}
	if r.Item != "" {
		t.Thread = a.itemThread(ch, r.Item)
		t.Broadcast = t.Thread != ""
	}
	posted, ts, err := a.web.post(ctx, t, render(r))
	if err != nil {
		return "", err
	}
	root := t.Thread
	if root == "" {
		root = ts
	}
	if posted != chat {
		a.bindRoot(ctx, posted, root, r.Item) // the Hub binds the address it knows (a user ID, a name)
	}
	a.uploadAll(ctx, ch, root, r.Files)
	return root, nil
}

// itemThread finds the thread an item already has in a conversation: the
// first message shown there that is still bound to it.
func (a *Adapter) itemThread(channel, item string) string {
	return a.hub.ItemThread(a.Name(), channel, item)
}

// bindRoot remembers that a thread is about an item, unless it is already
// about one: a thread keeps the item it started with (a card's thread stays
// the card's, whatever else is looked up in it).
func (a *Adapter) bindRoot(ctx context.Context, channel, root, item string) {
	if item == "" || root == "" {
		return
	}
	a.hub.BindFirst(ctx, storage.MessageRef{Platform: a.Name(), Chat: channel, ID: root}, item)
}

// uploadAll uploads a reply's files, logging those that fail.
func (a *Adapter) uploadAll(ctx context.Context, channel, thread string, files []commands.File) {
	for _, f := range files {
		if err := a.web.upload(ctx, channel, thread, f); err != nil {
			a.log.Error("slack: file not uploaded", "file", f.Name, "channel", channel, "err", err)
		}
	}
}
