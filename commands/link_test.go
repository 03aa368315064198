package commands

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/cluj-napoca/cabinetbot/storage"
)

var linkCodeRe = regexp.MustCompile(`: ([A-Z2-9]{8})$`)

// issue asks for a link code as the operator and returns it.
func (w *world) issue(line string) string {
	w.t.Helper()
	r := w.must(line)
	m := linkCodeRe.FindStringSubmatch(r.Title)
	if m == nil || !r.Private {
		w.t.Fatalf("%q gave no private code: %s", line, flat(r))
	}
	return m[1]
}

func (w *world) redeem(who Identity, code, event string) Reply {
	w.t.Helper()
	return w.e.Redeem(context.Background(), Request{Who: who, EventID: event}, code)
}

func TestLinkCodeGrantsTheRoleOnce(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	code := w.issue("leaga telegram primar")
	mayor := Identity{Platform: "telegram", ID: "777", Name: "Emil Boc"}

	r := w.redeem(mayor, code, "telegram/1")
	contains(t, r, "Bun venit", "telegram:777", "primar")
	if r.Kind != OK || len(r.Notices) != 1 || r.Notices[0].To != (Recipient{Kind: ToPerson, ID: "console:operator"}) {
		t.Fatalf("redeem: %s, notices %+v", flat(r), r.Notices)
	}
	p, err := w.store.Person("telegram:777")
	if err != nil || p.Role != "primar" || p.Name != "Emil Boc" || p.GrantedBy != "console:operator" {
		t.Fatalf("person after redeem: %+v %v", p, err)
	}
	if r := w.as(mayor, "restante"); r.Kind != OK {
		t.Fatalf("the linked mayor is refused: %s", flat(r))
	}
	hist, _ := w.store.History(storage.KindPerson, "telegram:777")
	if len(hist) != 1 || hist[0].Action != "grant" || hist[0].Who != "telegram:777" {
		t.Fatalf("person audit: %+v", hist)
	}
	if hist, _ := w.store.History(storage.KindLink, storage.LinkID(code)); len(hist) != 2 || hist[1].Action != "redeem" {
		t.Fatalf("link audit: %+v", hist)
	}

	before := w.snapshot()
	again := w.redeem(mayor, code, "telegram/2") // the same person again: nothing new
	contains(t, again, "Bun venit")
	w.unchanged(before, "redeeming one's own code again")

	other := Identity{Platform: "telegram", ID: "888"}
	r = w.redeem(other, code, "telegram/3")
	contains(t, r, "deja folosit", "telegram:888")
	if r.Kind != Invalid {
		t.Fatalf("reused code: %s", flat(r))
	}
	w.unchanged(before, "a reused code")
	if _, err := w.store.Person("telegram:888"); err == nil {
		t.Fatal("a reused code granted a role")
	}
}

func TestLinkCodeExpiresAfterFifteenMinutes(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	code := w.issue("leaga telegram departament=DT")
	late := w.issue(`link telegram viewer name="Ion Pop"`)

	w.setNow(at("25.11.2026", "10:15"))
	before := w.snapshot()
	r := w.redeem(Identity{Platform: "telegram", ID: "42"}, code, "")
	contains(t, r, "a expirat", "telegram:42")
	w.unchanged(before, "an expired code")

	w.setNow(at("25.11.2026", "10:00").Add(LinkValidity - time.Second))
	r = w.redeem(Identity{Platform: "telegram", ID: "43", Name: "tg name"}, late, "")
	contains(t, r, "vizualizare")
	if p, _ := w.store.Person("telegram:43"); p.Name != "Ion Pop" || p.Role != "vizualizare" {
		t.Fatalf("the code's name wins over the platform's: %+v", p)
	}
	w.setNow(at("25.11.2026", "10:00"))
	dt := w.issue(`leaga telegram departament="directia tehnica"`)
	w.redeem(Identity{Platform: "telegram", ID: "44"}, dt, "")
	if p, _ := w.store.Person("telegram:44"); p.Role != "departament" || p.Dept != "DT" {
		t.Fatalf("department code: %+v", p)
	}
}

func TestLinkCodeUnknownFromAStrangerIsARefusal(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	stranger := Identity{Platform: "telegram", ID: "99"}
	r := w.redeem(stranger, "ABCDEFGH", "")
	if r.Kind != Denied || r.Silent {
		t.Fatalf("first unknown code: %s", flat(r))
	}
	contains(t, r, "telegram:99")
	before := w.snapshot()
	for _, code := range []string{"ABCDEFGH", "nonsense", ""} {
		if r := w.redeem(stranger, code, ""); !r.Silent {
			t.Fatalf("%q from a stranger told twice: %s", code, flat(r))
		}
	}
	w.unchanged(before, "unknown codes")
	// Someone with a role gets a reason instead.
	r = w.redeem(viewerID, "ABCDEFGH", "")
	contains(t, r, "nu este valabil")
	// A Telegram code is not redeemable from another platform.
	code := w.issue("leaga telegram cabinet")
	if r := w.redeem(Identity{Platform: "slack", ID: "UX"}, code, ""); r.Kind == OK {
		t.Fatalf("a slack identity redeemed a telegram code: %s", flat(r))
	}
	// Codes are read as people type them.
	r = w.redeem(Identity{Platform: "telegram", ID: "45"}, " "+code[:4]+"-"+toLower(code[4:]), "")
	contains(t, r, "Bun venit", "cabinet")
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func TestLinkCommandBadInputChangesNothing(t *testing.T) {
	w := newWorld(t, at("25.11.2026", "10:00")).standard()
	before := w.snapshot()
	for _, line := range []string{
		"leaga telegram",
		"leaga telegram sef",
		"leaga telegram departament",
		"leaga telegram departament=XYZ",
		"leaga telegram departament=BRP",
		"leaga telegram primar departament=DT",
		"leaga telegram primar cabinet",
		"link telegram mayor colour=red",
	} {
		r := w.as(operatorID, line)
		if r.Kind != Invalid || r.Lines == nil {
			t.Errorf("%q: %s", line, flat(r))
		}
	}
	if r := w.as(anaID, "leaga telegram primar"); r.Kind != Denied {
		t.Errorf("cabinet issued a code: %s", flat(r))
	}
	w.unchanged(before, "bad link commands")
	r := w.as(operatorID, "link telegram mayor")
	contains(t, r, "Telegram link code", "/start")
}
