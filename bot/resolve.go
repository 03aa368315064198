package bot

import (
	"context"
	"fmt"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// ChatResolver is a Platform that can find a chat's ID by its public name
// (Telegram: a group's or channel's @username, by getChat).
type ChatResolver interface {
	ResolveChat(ctx context.Context, name string) (id string, err error)
}

// ResolveChat finds a chat's ID by its public name on a connected platform.
// It implements commands.ChatResolver: the commands that record a chat store
// the ID it returns. The error wraps commands.ErrCannotResolve when the
// platform is not connected or cannot look names up.
func (h *Hub) ResolveChat(ctx context.Context, platform, name string) (string, error) {
	h.mu.RLock()
	p := h.platforms[platform]
	h.mu.RUnlock()
	if p == nil {
		return "", fmt.Errorf("%s is not connected: %w", platform, commands.ErrCannotResolve)
	}
	r, ok := p.(ChatResolver)
	if !ok {
		return "", fmt.Errorf("%s cannot look chats up by name: %w", platform, commands.ErrCannotResolve)
	}
	return r.ResolveChat(ctx, name) // its errors name the platform and the chat already
}

var _ commands.ChatResolver = (*Hub)(nil)
