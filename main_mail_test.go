package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestMailConfiguration: the mailbox wants its password beside its URL; a
// password in a URL is refused (it would be logged with it); neither
// password appears in the error.
func TestMailConfiguration(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{envIMAPURL: "imaps://cabinet@mail.example.ro/INBOX"}, "CABINET_IMAP_PASSWORD is not"},
		{map[string]string{envIMAPURL: "imaps://cabinet:hunter2@mail.example.ro/INBOX", envIMAPPass: "x"}, "not in the URL"},
		{map[string]string{envIMAPURL: "pop3://cabinet@mail.example.ro", envIMAPPass: "hunter2"}, "scheme"},
		{map[string]string{envSMTPURL: "smtps://mail.example.ro", envSMTPPass: "hunter2"}, "CABINET_SMTP_FROM"},
		{map[string]string{envIMAPURL: "imaps://cabinet:hunter2@mail.example.ro:99x/INBOX", envIMAPPass: "x"}, "CABINET_IMAP_URL cannot be read"},
	} {
		env := func(k string) string {
			if k == envLogLevel {
				return "error"
			}
			return tc.env[k]
		}
		var out bytes.Buffer
		err := run([]string{"--data", t.TempDir(), "console"}, nil, &out, env)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%v: %v", tc.env, err)
		}
	}
}
