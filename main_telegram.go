package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/telegram"
)

// Telegram's environment, documented in the README's configuration section.
const (
	envTelegramToken         = "TELEGRAM_BOT_TOKEN"
	envTelegramAPIURL        = "TELEGRAM_API_URL"
	envTelegramWebhookURL    = "TELEGRAM_WEBHOOK_URL"
	envTelegramWebhookSecret = "TELEGRAM_WEBHOOK_SECRET"
	envTelegramListenAddr    = "TELEGRAM_LISTEN_ADDR"
)

// startTelegram connects Telegram when TELEGRAM_BOT_TOKEN is set: by long
// polling, or by webhook with TELEGRAM_WEBHOOK_URL and its secret.
func startTelegram(_ context.Context, d deps) (bot.Platform, func(context.Context) error, error) {
	cfg := telegram.Config{
		Token:         strings.TrimSpace(d.getenv(envTelegramToken)),
		APIURL:        strings.TrimSpace(d.getenv(envTelegramAPIURL)),
		WebhookURL:    strings.TrimSpace(d.getenv(envTelegramWebhookURL)),
		WebhookSecret: strings.TrimSpace(d.getenv(envTelegramWebhookSecret)),
		ListenAddr:    strings.TrimSpace(d.getenv(envTelegramListenAddr)),
		Engine:        d.engine, Store: d.store, Hub: d.hub, Logger: d.log,
	}
	switch {
	case cfg.Token == "" && cfg.WebhookURL == "" && cfg.WebhookSecret == "":
		return nil, nil, nil // Telegram is not configured
	case cfg.Token == "":
		return nil, nil, fmt.Errorf("a Telegram webhook is configured but %s is not: give the token @BotFather gave", envTelegramToken)
	case !strings.Contains(cfg.Token, ":"):
		return nil, nil, fmt.Errorf("%s does not look like a bot token (123456:ABC…, from @BotFather)", envTelegramToken)
	case cfg.WebhookURL == "" && cfg.WebhookSecret != "":
		return nil, nil, fmt.Errorf("%s is set but %s is not: give the public URL, or unset the secret to use long polling",
			envTelegramWebhookSecret, envTelegramWebhookURL)
	case cfg.WebhookURL != "" && cfg.WebhookSecret == "":
		return nil, nil, fmt.Errorf("%s needs %s (letters, digits, _ and -), so that forged updates are refused",
			envTelegramWebhookURL, envTelegramWebhookSecret)
	}
	if cfg.WebhookURL == "" && cfg.ListenAddr != "" {
		d.log.Warn("telegram: long polling is used; TELEGRAM_LISTEN_ADDR is ignored without TELEGRAM_WEBHOOK_URL")
	}
	a, err := telegram.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	return a, a.Run, nil
}
