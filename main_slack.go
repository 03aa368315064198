package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/cluj-napoca/cabinetbot/bot"
	"github.com/cluj-napoca/cabinetbot/bot/slack"
)

// Slack's environment, documented in the README's configuration section.
const (
	envSlackBotToken      = "SLACK_BOT_TOKEN"
	envSlackAppToken      = "SLACK_APP_TOKEN"
	envSlackSigningSecret = "SLACK_SIGNING_SECRET"
	envSlackListenAddr    = "SLACK_LISTEN_ADDR"
	envSlackAPIURL        = "SLACK_API_URL"
)

// startSlack connects Slack when SLACK_BOT_TOKEN is set: by Socket Mode with
// SLACK_APP_TOKEN, else by the HTTP Events API with SLACK_SIGNING_SECRET on
// SLACK_LISTEN_ADDR.
func startSlack(_ context.Context, d deps) (bot.Platform, func(context.Context) error, error) {
	cfg := slack.Config{
		BotToken:      strings.TrimSpace(d.getenv(envSlackBotToken)),
		AppToken:      strings.TrimSpace(d.getenv(envSlackAppToken)),
		SigningSecret: strings.TrimSpace(d.getenv(envSlackSigningSecret)),
		ListenAddr:    strings.TrimSpace(d.getenv(envSlackListenAddr)),
		APIURL:        strings.TrimSpace(d.getenv(envSlackAPIURL)),
		Engine:        d.engine, Store: d.store, Hub: d.hub, Logger: d.log, Health: d.ops.Healthz,
	}
	switch {
	case cfg.BotToken == "" && cfg.AppToken == "" && cfg.SigningSecret == "":
		return nil, nil, nil // Slack is not configured
	case cfg.BotToken == "":
		return nil, nil, fmt.Errorf("%s is set but %s is not: give the bot token (xoxb-…) too", slackSet(cfg), envSlackBotToken)
	case !strings.HasPrefix(cfg.BotToken, "xoxb-"):
		return nil, nil, fmt.Errorf("%s must be the bot token (xoxb-…), from the app's OAuth & Permissions page", envSlackBotToken)
	case cfg.AppToken != "" && !strings.HasPrefix(cfg.AppToken, "xapp-"):
		return nil, nil, fmt.Errorf("%s must be an app-level token (xapp-…) with the connections:write scope", envSlackAppToken)
	case cfg.AppToken == "" && cfg.SigningSecret == "":
		return nil, nil, fmt.Errorf("%s is set, but neither %s (Socket Mode) nor %s (HTTP Events API): give one",
			envSlackBotToken, envSlackAppToken, envSlackSigningSecret)
	}
	if cfg.AppToken != "" && (cfg.SigningSecret != "" || cfg.ListenAddr != "") {
		d.log.Warn("slack: Socket Mode is used; SLACK_SIGNING_SECRET and SLACK_LISTEN_ADDR are ignored")
	}
	a, err := slack.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	return a, a.Run, nil
}

func slackSet(cfg slack.Config) string {
	if cfg.AppToken != "" {
		return envSlackAppToken
	}
	return envSlackSigningSecret
}
