package slack_test

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/bot/slack"
	"github.com/cluj-napoca/cabinetbot/bot/slack/slackfake"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// post sends x to the HTTP Events API and checks the status of each request.
func (w *world) post(x slackfake.Sent, secret string, attempt, want int) {
	w.t.Helper()
	codes, err := slackfake.Post(w.httpBase, secret, x, attempt)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range codes {
		if c != want {
			w.t.Fatalf("status %d, want %d", c, want)
		}
	}
	w.ad.Wait() // the request was answered: its work is registered
}

func signed(t *testing.T, url, secret string, ts int64, body []byte) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", slackfake.Sign(secret, ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// The HTTP Events API: Slack's URL check is answered; a DM registers once
// even when Slack retries it; a mention is answered once; forged or stale
// requests are refused with 401 and change nothing.
func TestHTTPEventsAPI(t *testing.T) {
	w := newWorld(t, "http").start()
	resp := signed(t, w.httpBase+slack.PathEvents, secret, time.Now().Unix(),
		[]byte(`{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`))
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("url_verification: %d %q", resp.StatusCode, body)
	}

	dm := w.fake.NewDM(ana, reg, "")
	w.post(dm, secret, 0, http.StatusOK)
	card := w.waitFor("the card", saying("Înregistrat 1/2026"))
	if card.ThreadTS != dm.TS {
		t.Errorf("card %+v", card)
	}
	w.post(dm, secret, 1, http.StatusOK) // Slack's retry
	w.post(w.fake.NewMention(ana, cabinet, "restante", ""), secret, 0, http.StatusOK)
	w.waitFor("the mention's answer", in(cabinet, "Nicio restanță"))

	before, msgs := w.business(), len(w.fake.Messages())
	w.post(w.fake.NewDM(ana, `inregistreaza de="Fals" subiect="Fals"`, ""), "not-the-secret", 0, http.StatusUnauthorized)
	stale := signed(t, w.httpBase+slack.PathEvents, secret, time.Now().Add(-10*time.Minute).Unix(), w.fake.NewDM(ana, reg, "").Events[0].Payload)
	stale.Body.Close()
	if stale.StatusCode != http.StatusUnauthorized {
		t.Errorf("a 10-minute-old request: %d", stale.StatusCode)
	}
	slash := w.fake.NewSlash(ana, cabinet, reg)
	w.post(slash, "not-the-secret", 0, http.StatusUnauthorized)
	w.ad.Wait()
	if !reflect.DeepEqual(before, w.business()) || len(w.fake.Messages()) != msgs {
		t.Error("a forged request changed something or was answered")
	}
	if w.last() != 1 {
		t.Errorf("%d registrations", w.last())
	}
}

// Slash commands, buttons and forms over HTTP.
func TestHTTPSlashButtonsAndForms(t *testing.T) {
	w := newWorld(t, "http").start()
	w.post(w.fake.NewSlash(ana, cabinet, reg), secret, 0, http.StatusOK)
	card := w.waitFor("the card", in(cabinet, "Înregistrat 1/2026"))
	if card.ThreadTS != "" || card.Ephemeral {
		t.Errorf("card %+v", card)
	}
	w.post(w.fake.NewClick(ana, card, "Repartizează"), secret, 0, http.StatusOK)
	st := w.fake.Wait("the form", func(st slackfake.State) bool { return len(st.Views) == 1 })
	w.post(w.fake.NewSubmit(ana, st.Views[0], map[string]string{"in_departament": "DPM"}), secret, 0, http.StatusOK)
	m := w.waitFor("the assignment", in(cabinet, "1/2026 repartizată la DPM"))
	if m.ThreadTS != card.TS {
		t.Errorf("the assignment is not in the card's thread: %+v", m)
	}
	if it := w.item(1); it.Dept != "DPM" || it.Status != storage.StatusAssigned {
		t.Errorf("item %+v", it)
	}
}
