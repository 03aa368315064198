package slack_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cluj-napoca/cabinetbot/bot/slack"
)

// manifest is the part of a Slack app manifest the adapter depends on.
type manifest struct {
	Features struct {
		BotUser struct {
			DisplayName string `yaml:"display_name"`
		} `yaml:"bot_user"`
		AppHome struct {
			MessagesTab bool `yaml:"messages_tab_enabled"`
			ReadOnly    bool `yaml:"messages_tab_read_only_enabled"`
		} `yaml:"app_home"`
		SlashCommands []struct {
			Command      string `yaml:"command"`
			URL          string `yaml:"url"`
			ShouldEscape bool   `yaml:"should_escape"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuth struct {
		Scopes struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		Events struct {
			RequestURL string   `yaml:"request_url"`
			BotEvents  []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			Enabled    bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url"`
		} `yaml:"interactivity"`
		SocketMode bool `yaml:"socket_mode_enabled"`
	} `yaml:"settings"`
}

func readManifest(t *testing.T, path string) manifest {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// The manifests give the app what the adapter uses: the scopes of the Web
// API methods it calls, the events it handles, /cabinet with escaped
// mentions (so `rol @ana cabinet` arrives as <@U…>), interactivity; the
// HTTP one points each feature at the adapter's paths.
func TestManifestsGrantWhatTheAdapterUses(t *testing.T) {
	for _, c := range []struct {
		path   string
		socket bool
	}{{"../../deploy/slack-manifest.yaml", true}, {"../../deploy/slack-manifest-http.yaml", false}} {
		m := readManifest(t, c.path)
		for _, scope := range []string{"app_mentions:read", "channels:history", "groups:history", "im:history", "im:write", "chat:write", "commands", "files:write"} {
			if !slices.Contains(m.OAuth.Scopes.Bot, scope) {
				t.Errorf("%s lacks the scope %s", c.path, scope)
			}
		}
		for _, ev := range []string{"app_mention", "message.im", "message.channels", "message.groups"} {
			if !slices.Contains(m.Settings.Events.BotEvents, ev) {
				t.Errorf("%s lacks the event %s", c.path, ev)
			}
		}
		if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != "/cabinet" || !m.Features.SlashCommands[0].ShouldEscape {
			t.Errorf("%s: slash commands %+v", c.path, m.Features.SlashCommands)
		}
		if !m.Settings.Interactivity.Enabled || !m.Features.AppHome.MessagesTab || m.Features.AppHome.ReadOnly {
			t.Errorf("%s: interactivity or direct messages are off", c.path)
		}
		if m.Settings.SocketMode != c.socket {
			t.Errorf("%s: socket_mode_enabled = %v", c.path, m.Settings.SocketMode)
		}
		if c.socket {
			continue
		}
		for url, path := range map[string]string{m.Settings.Events.RequestURL: slack.PathEvents,
			m.Settings.Interactivity.RequestURL: slack.PathInteractions, m.Features.SlashCommands[0].URL: slack.PathCommands} {
			if !strings.HasPrefix(url, "https://") || !strings.HasSuffix(url, path) {
				t.Errorf("%s: request URL %q does not end with %s", c.path, url, path)
			}
		}
	}
}
