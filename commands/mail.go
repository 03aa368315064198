package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
	"github.com/cluj-napoca/cabinetbot/templates"
)

// ToEmail is an e-mail address (ID): the acknowledgement of a registered
// e-mail. The Hub delivers it through the "email" platform (SMTP).
const ToEmail RecipientKind = "email"

// Mail is an e-mail of the Cabinet's mailbox as the mail reader decoded it,
// independent of IMAP.
type Mail struct {
	MessageID   string
	FromName    string
	FromAddr    string
	Subject     string
	Date        time.Time
	Text        string
	Attachments []File
	// Notes say what could not be read.
	Notes []string
}

// MailWho is the identity the mail reader acts as in the audit trail.
const MailWho = "email:cabinet"

func mailCommands() []*Command {
	return []*Command{
		{Name: "propuneri", Aliases: []string{"proposals", "emailuri", "e-mailuri"}, Roles: staff, Group: groupRegistry,
			Summary: "e-mailurile Cabinetului propuse spre înregistrare, încă nerezolvate", SummaryEn: "the Cabinet's e-mails proposed for registration, not yet handled",
			Examples: []string{"propuneri", "proposals"}, Run: runProposals},
		{Name: "inregistreaza-email", Aliases: []string{"register-email", "înregistrează-email"}, Roles: staff, Group: groupRegistry,
			Usage: `ID [categorie=...] [tip=...] [de="..."] [subiect="..."] [termen=DD.MM.YYYY]`, UsageEn: `ID [category=...] [type=...] [from="..."] [subject="..."] [deadline=DD.MM.YYYY]`,
			Summary: "înregistrează un e-mail propus (cu atașamentele lui); un e-mail se înregistrează cel mult o dată", SummaryEn: "registers a proposed e-mail (with its attachments); an e-mail is registered at most once",
			Examples: []string{"inregistreaza-email 3", "inregistreaza-email 3 categorie=informatii tip=presa", "register-email 3 category=petition"},
			Keys:     []Key{{"categorie", "category"}, {"tip", "type"}, {"de", "from"}, {"subiect", "subject"}, {"termen", "deadline"}}, Run: runRegisterEmail},
		{Name: "ignora-email", Aliases: []string{"ignore-email", "ignoră-email"}, Roles: staff, Group: groupRegistry,
			Usage: "ID", UsageEn: "ID",
			Summary: "închide o propunere fără înregistrare (reclamă, mesaj automat)", SummaryEn: "closes a proposal without registering it (spam, an automatic message)",
			Examples: []string{"ignora-email 4", "ignore-email 4"}, Run: runIgnoreEmail},
	}
}

// institutionDomains are the e-mail domains whose senders are guessed as
// institutions of a kind (the rules are in the README).
var institutionDomains = []struct{ suffix, kind string }{
	{"presidency.ro", "presedintie"}, {"presedintie.ro", "presedintie"},
	{"gov.ro", "guvern"},
	{"prefecturacluj.ro", "prefect"}, {"prefectura.mai.gov.ro", "prefect"},
	{"mdlpa.ro", "minister"}, {"mfinante.ro", "minister"}, {"mai.gov.ro", "minister"}, {"edu.ro", "minister"}, {"ms.ro", "minister"},
	{"cjcluj.ro", "institutie"}, {"primariaclujnapoca.ro", "institutie"}, {"anaf.ro", "institutie"},
}

// GuessSender guesses the sender type and category of an e-mail by simple
// rules, in order: an institution's domain; "544" or "informații publice" in
// the subject or the text's beginning (a Law 544 request); "presă",
// "redacția" or "jurnalist" in the sender's name, the subject or the text
// (the press, and a press request unless it is a 544 one); "petiție",
// "sesizare", "reclamație" in the subject (a petition); otherwise the
// category the sender type implies.
func GuessSender(addr, subject, body string) (senderType, category string) {
	dom := strings.ToLower(addr[strings.LastIndex(addr, "@")+1:])
	senderType = "cetatean"
	for _, d := range institutionDomains {
		if dom == d.suffix || strings.HasSuffix(dom, "."+d.suffix) {
			senderType = d.kind
			break
		}
	}
	if senderType == "cetatean" && (strings.HasSuffix(dom, ".gov.ro") || strings.HasPrefix(dom, "ministerul")) {
		senderType = "minister"
	}
	subj := " " + strings.Join(text.Words(subject), " ") + " "
	head := subj + " " + strings.Join(text.Words(text.Truncate(body, 400)), " ") + " "
	press := strings.Contains(head, " presa ") || strings.Contains(head, " jurnalist ") || strings.Contains(head, " redactia ") || strings.Contains(head, " press ")
	if press && senderType == "cetatean" {
		senderType = "presa"
	}
	switch {
	case strings.Contains(subj, " 544 ") || strings.Contains(head, " informatii publice ") || strings.Contains(head, " informatii de interes public "):
		category = "informatii"
	case press:
		category = "presa"
	case strings.Contains(subj, " petitie ") || strings.Contains(subj, " sesizare ") || strings.Contains(subj, " reclamatie "):
		category = "petitie"
	default:
		category = string(defaultCategory(senderType))
	}
	return senderType, category
}

// ProposeMail keeps an e-mail of the Cabinet's mailbox as a proposed
// registration, its attachments in the file store, and posts its card to
// the Cabinet (through the outbox). An e-mail proposed before (the same
// Message-ID) is not proposed again: fresh is false.
func (e *Engine) ProposeMail(ctx context.Context, m Mail) (p storage.Proposal, fresh bool, err error) {
	p = storage.Proposal{MessageID: m.MessageID, FromName: m.FromName, FromAddr: m.FromAddr, Subject: m.Subject,
		Date: m.Date, Received: e.Now(), Text: text.Truncate(m.Text, 2000), Notes: slices.Clone(m.Notes)}
	if p.MessageID == "" {
		p.MessageID = fmt.Sprintf("<fara-message-id-%s-%s>", m.Date.UTC().Format("20060102T150405"), m.FromAddr)
	}
	if m.FromAddr == "" {
		p.Notes = append(p.Notes, "fără expeditor: completați de=\"...\" la înregistrare")
	}
	p.SenderType, p.Category = GuessSender(m.FromAddr, m.Subject, m.FromName+"\n"+m.Text)
	for _, a := range m.Attachments {
		ref, err := e.store.PutFile(bytes.NewReader(a.Data), a.Name, a.MIME)
		if errors.Is(err, storage.ErrFileTooLarge) {
			p.Notes = append(p.Notes, fmt.Sprintf("atașamentul „%s” (%d MB) depășește limita și nu a fost păstrat", a.Name, len(a.Data)>>20))
			continue
		}
		if err != nil {
			return p, false, fmt.Errorf("store attachment %q: %w", a.Name, err)
		}
		p.Files = append(p.Files, ref)
	}
	meta := storage.Meta{Who: MailWho, At: e.Now(), Outbox: func(made storage.Made) ([]storage.Outgoing, error) {
		return Outgoings([]Notice{{To: Recipient{Kind: ToCabinet}, Reply: proposalCard(*made.Proposal)}})
	}}
	return e.store.Propose(ctx, p, meta)
}

// proposalCard is the card of a proposed e-mail, in Romanian (it goes to the
// Cabinet's channel).
func proposalCard(p storage.Proposal) Reply {
	id := strconv.Itoa(p.ID)
	r := Reply{Title: fmt.Sprintf("E-mail propus spre înregistrare (#%s): %s", id, orDash(p.Subject))}
	from := p.FromName
	if p.FromAddr != "" {
		from = strings.TrimSpace(from + " <" + p.FromAddr + ">")
	}
	r.Fields = append(r.Fields, Field{"De la", orDash(from)})
	if !p.Date.IsZero() {
		r.Fields = append(r.Fields, Field{"Data", p.Date.In(calendar.Bucharest).Format("02.01.2006 15:04")})
	}
	r.Fields = append(r.Fields,
		Field{"Tip (ghicit)", Romanian.name(senderTypeNames, p.SenderType)},
		Field{"Categorie (ghicită)", Romanian.category(p.Category)})
	for _, f := range p.Files {
		r.Lines = append(r.Lines, fmt.Sprintf("📎 %s (%s) — fișier %s", f.Name, sizeText(f.Size), f.SHA256[:12]))
	}
	if p.Text != "" {
		r.Lines = append(r.Lines, text.Truncate(p.Text, 300))
	}
	for _, n := range p.Notes {
		r.Lines = append(r.Lines, "Notă: "+n)
	}
	r.Actions = []Action{
		{ID: "register-email", Label: "Înregistrează", Command: "inregistreaza-email " + id},
		{ID: "edit-email", Label: "Editează", Command: "inregistreaza-email " + id, Inputs: []string{"de", "tip", "categorie", "subiect"}},
		{ID: "ignore-email", Label: "Ignoră", Command: "ignora-email " + id},
	}
	return r
}

func runProposals(c *Call) (Reply, error) {
	ps, err := c.e.store.Proposals()
	if err != nil {
		return Reply{}, err
	}
	if len(ps) == 0 {
		return Reply{Title: c.T("Nicio propunere din e-mail nu așteaptă.", "No proposal from e-mail is waiting.")}, nil
	}
	r := Reply{Title: c.T("Propuneri din e-mail: %d", "Proposals from e-mail: %d", len(ps))}
	for _, p := range ps {
		r.Lines = append(r.Lines, fmt.Sprintf("#%d · %s · %s · %s", p.ID, orDash(p.FromAddr), text.Truncate(orDash(p.Subject), 60),
			Romanian.category(p.Category)))
	}
	r.Lines = append(r.Lines, c.T("„inregistreaza-email ID” sau „ignora-email ID”.", "“register-email ID” or “ignore-email ID”."))
	return r, nil
}

func (c *Call) proposal() (storage.Proposal, error) {
	if len(c.Args) == 0 {
		return storage.Proposal{}, c.Fail("Lipsește numărul propunerii: inregistreaza-email 3 (vedeți „propuneri”).", "The proposal's number is missing: register-email 3 (see “proposals”).")
	}
	id, err := strconv.Atoi(strings.TrimPrefix(c.Args[0], "#"))
	if err != nil || id <= 0 {
		return storage.Proposal{}, c.Fail("„%s” nu este numărul unei propuneri; de exemplu: inregistreaza-email 3.", "“%s” is not a proposal's number; for example: register-email 3.", c.Args[0])
	}
	p, err := c.e.store.ProposalByID(id)
	if errors.Is(err, storage.ErrNotFound) {
		return p, c.Fail("Nu există propunerea #%d (vedeți „propuneri”).", "There is no proposal #%d (see “proposals”).", id)
	}
	return p, err
}

func (c *Call) proposalClosed(p storage.Proposal) error {
	if p.Status == storage.ProposalRegistered {
		return c.Fail("E-mailul #%d este deja înregistrat cu nr. %s.", "The e-mail #%d is already registered as %s.", p.ID, p.Number)
	}
	return c.Fail("E-mailul #%d a fost ignorat.", "The e-mail #%d was ignored.", p.ID)
}

func runRegisterEmail(c *Call) (Reply, error) {
	p, err := c.proposal()
	if err != nil {
		return Reply{}, err
	}
	if len(c.Args) > 1 {
		return Reply{}, c.Fail("Argument neînțeles: „%s”. Dați valorile ca cheie=valoare: inregistreaza-email 3 categorie=petitie.",
			"Argument not understood: “%s”. Give values as key=value: register-email 3 category=petition.", c.Args[1])
	}
	if p.Status != storage.ProposalOpen {
		return Reply{}, c.proposalClosed(p)
	}
	now := c.e.Now()
	it := storage.Item{Registered: now, RegisteredBy: c.Caller.Key(), Status: storage.StatusRegistered, Channel: "email",
		Sender: strings.TrimSpace(p.FromName), SenderType: p.SenderType, Contact: p.FromAddr, Subject: strings.TrimSpace(p.Subject), Category: p.Category}
	if it.Sender == "" {
		it.Sender = p.FromAddr
	}
	if _, err := c.readFields(&it, false); err != nil {
		return Reply{}, err
	}
	if it.Sender == "" {
		return Reply{}, c.Fail("E-mailul nu are expeditor: dați de=\"...\" (sau tip=anonim).", "The e-mail has no sender: give from=\"...\" (or type=anonymous).")
	}
	if it.Subject == "" {
		it.Subject = c.T("(e-mail fără subiect)", "(e-mail without a subject)")
	}
	dl := c.recompute(it)
	setDeadline(&it, dl)
	meta := c.meta()
	if c.e.ack != nil && p.FromAddr != "" && it.SenderType != "anonim" {
		meta.Outbox = func(made storage.Made) ([]storage.Outgoing, error) {
			r, err := c.e.ackReply(made.Items[0])
			if err != nil {
				return nil, err
			}
			return Outgoings([]Notice{{To: Recipient{Kind: ToEmail, ID: p.FromAddr}, Reply: r}})
		}
	}
	saved, p, err := c.e.store.RegisterProposal(c.Ctx, p.ID, now.Year(), it, meta)
	if errors.Is(err, storage.ErrProposalClosed) {
		return Reply{}, c.proposalClosed(p)
	}
	if err != nil {
		return Reply{}, err
	}
	r := c.card(c.T("Înregistrat %s (din e-mailul #%d)", "Registered %s (from e-mail #%d)", saved.Number, p.ID), saved)
	r.Lines = append(r.Lines, c.deadlineLines(dl)...)
	for _, f := range saved.Files {
		r.Lines = append(r.Lines, fmt.Sprintf("📎 %s (%s) — fișier %s", f.Name, sizeText(f.Size), f.SHA256[:12]))
	}
	if c.e.ack != nil && p.FromAddr != "" && it.SenderType != "anonim" {
		r.Lines = append(r.Lines, c.T("Confirmarea pleacă la %s.", "The acknowledgement goes to %s.", p.FromAddr))
	}
	return r, nil
}

func runIgnoreEmail(c *Call) (Reply, error) {
	p, err := c.proposal()
	if err != nil {
		return Reply{}, err
	}
	if p.Status != storage.ProposalOpen {
		return Reply{}, c.proposalClosed(p)
	}
	p, err = c.e.store.IgnoreProposal(c.Ctx, p.ID, c.meta())
	if errors.Is(err, storage.ErrProposalClosed) {
		return Reply{}, c.proposalClosed(p)
	}
	if err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T("E-mailul #%d (%s) a fost ignorat; rămâne în căsuța poștală.", "The e-mail #%d (%s) was ignored; it stays in the mailbox.", p.ID, orDash(p.Subject))}, nil
}

// ackData is what the acknowledgement template is given.
type ackData struct {
	Number, Date, Deadline, Name, Subject string
}

// parseAckTemplate reads the acknowledgement template: the file at path, or
// the one built in.
func parseAckTemplate(path string) (*template.Template, error) {
	src := templates.MailAck
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("acknowledgement template: %w", err)
		}
		src = string(b)
	}
	t, err := template.New("ack").Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("acknowledgement template %s: %w", path, err)
	}
	if _, _, err := renderAck(t, ackData{}); err != nil {
		return nil, fmt.Errorf("acknowledgement template %s: %w", path, err)
	}
	return t, nil
}

func renderAck(t *template.Template, d ackData) (subject, body string, err error) {
	var b strings.Builder
	if err := t.Execute(&b, d); err != nil {
		return "", "", fmt.Errorf("acknowledgement: %w", err)
	}
	s := b.String()
	if first, rest, ok := strings.Cut(s, "\n"); ok && strings.HasPrefix(first, "Subject:") {
		return strings.TrimSpace(strings.TrimPrefix(first, "Subject:")), strings.TrimLeft(rest, "\r\n"), nil
	}
	return "", "", errors.New("acknowledgement template: the first line must be \"Subject: …\"")
}

// ackReply is the acknowledgement of a registered e-mail: Title is the
// subject, Lines the body.
func (e *Engine) ackReply(it storage.Item) (Reply, error) {
	due := "—"
	if it.Deadline != "" {
		if d, err := calendar.ParseISO(it.Deadline); err == nil {
			due = d.String()
		}
	}
	subj, body, err := renderAck(e.ack, ackData{Number: it.Number.String(), Date: calendar.DateOf(it.Registered).String(),
		Deadline: due, Name: it.Sender, Subject: it.Subject})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Title: subj, Lines: strings.Split(strings.TrimRight(body, "\n"), "\n"), Item: it.Number.String()}, nil
}
