package commands

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// fakeChats resolves the names it knows; others are not found.
type fakeChats map[string]string

func (f fakeChats) ResolveChat(_ context.Context, platform, name string) (string, error) {
	if platform != "telegram" {
		return "", fmt.Errorf("%s: %w", platform, ErrCannotResolve)
	}
	if id, ok := f[name]; ok {
		return id, nil
	}
	return "", errors.New("bad request, Bad Request: chat not found")
}

// Without a connected Telegram, a group given by @name is refused with the
// reason and how to give the ID; nothing changes.
func TestTelegramNameRefusedWithoutTelegram(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.refuses(t, anaID, `departament modifica DT telegram=@dt_cluj_grup`, "nume public", "TELEGRAM_BOT_TOKEN", "-1001234567890", "Exemplu: "+telegramExample)
	w.refuses(t, anaID, `departament adauga X "X" telegram=@dt_cluj_grup`, "TELEGRAM_BOT_TOKEN")
	w.refuses(t, anaID, `departament adauga X "X" telegram=@dt`, "nu este un nume public Telegram")
	before := w.snapshot()
	r := w.withFile(anaID, "import-departamente", "d.csv", []byte("Cod;Denumire;Telegram\nDT;Direcția Tehnică;@dt_cluj_grup\n"))
	contains(t, r, "TELEGRAM_BOT_TOKEN")
	w.unchanged(before, "the import")
}

// With Telegram connected, an @name is stored as the chat's numeric ID (the
// reply says so); a name Telegram does not know is refused with the reason.
func TestTelegramNameResolvedToItsID(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	w.e.SetChatResolver(fakeChats{"@dt_cluj_grup": "-1001234567890", "@das_grup": "-1002"})
	contains(t, w.as(anaID, `departament modifica DT telegram=@dt_cluj_grup`), "@dt_cluj_grup → -1001234567890")
	contains(t, w.as(anaID, `departament adauga DX "Direcția X" telegram=@das_grup`), "@das_grup → -1002")
	for code, want := range map[string]string{"DT": "-1001234567890", "DX": "-1002"} {
		if d, err := w.store.Department(code); err != nil || d.TelegramChat != want {
			t.Errorf("%s: chat %q (%v), want %s", code, d.TelegramChat, err, want)
		}
	}
	w.refuses(t, anaID, `departament modifica DT telegram=@nu_exista_grup`, "Telegram nu a găsit chatul „@nu_exista_grup”", "chat not found", "grup privat")
	contains(t, w.withFile(anaID, "import-departamente", "d.csv", []byte("Cod;Denumire;Telegram\nDX;Direcția X;@dt_cluj_grup\n")), "modificate: 1")
	if d, _ := w.store.Department("DX"); d.TelegramChat != "-1001234567890" {
		t.Errorf("imported chat %q", d.TelegramChat)
	}
}
