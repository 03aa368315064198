package slack

import (
	"context"
	"encoding/json"
	"runtime/debug"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/cluj-napoca/cabinetbot/commands"
)

// Callback IDs of the forms.
const (
	viewAction   = "cabinet_action"   // the inputs a button needs
	viewRegister = "cabinet_register" // /cabinet inregistreaza
)

// Block and action IDs of a form's inputs: block inputPrefix+key, action
// inputAction.
const (
	inputPrefix = "in_"
	inputAction = "v"
)

// maxOptions is the most options a static select takes.
const maxOptions = 100

// formMeta travels in a form's private_metadata: what to run on submission
// and where to answer.
type formMeta struct {
	Command     string   `json:"c,omitempty"`
	Inputs      []string `json:"i,omitempty"`
	Item        string   `json:"n,omitempty"`
	Channel     string   `json:"ch,omitempty"`
	Thread      string   `json:"th,omitempty"`
	ResponseURL string   `json:"ru,omitempty"`
	DM          bool     `json:"dm,omitempty"` // the bot's direct messages with the asker
	English     bool     `json:"en,omitempty"`
}

// input describes how a form asks for a key.
type input struct {
	Label    string
	Kind     string // text, long, date, number, departments, or a commands vocabulary
	Optional bool
	Hint     string
	Initial  string
}

// inputs are the keys buttons and the registration form ask for. A key not
// here is asked for as required text.
var inputs = map[string]input{
	"departament": {Label: "Departament (department)", Kind: "departments"},
	"raspuns":     {Label: "Nr. răspuns (answer no.)", Kind: "text"},
	"data":        {Label: "Data răspunsului (answer date)", Kind: "date", Optional: true, Hint: "Implicit azi. / Today when left empty."},
	"zile":        {Label: "Zile (days)", Kind: "number"},
	"motiv":       {Label: "Motiv (reason)", Kind: "long"},
	"text":        {Label: "Răspunsul (the answer)", Kind: "long"},

	"de":        {Label: "Expeditor (sender)", Kind: "text", Hint: "Persoana sau instituția; pentru o petiție anonimă: Anonim, tip anonim. / The person or institution."},
	"tip":       {Label: "Tip expeditor (sender type)", Kind: commands.VocabSenderType, Initial: "cetatean"},
	"subiect":   {Label: "Subiect (subject)", Kind: "long"},
	"categorie": {Label: "Categorie (category)", Kind: commands.VocabCategory, Optional: true, Hint: "Implicit după tipul expeditorului; ea dă termenul legal. / By default from the sender type; it sets the legal deadline."},
	"canal":     {Label: "Canal (channel)", Kind: commands.VocabChannel, Optional: true},
	"pagini":    {Label: "Pagini (pages)", Kind: "number", Optional: true},
	"termen":    {Label: "Termen dat de scrisoare (deadline set by the letter)", Kind: "date", Optional: true},
	"contact":   {Label: "Contact", Kind: "text", Optional: true, Hint: "Date personale: le văd doar cei care au dreptul. / Personal data: shown only to those allowed."},
	"nr":        {Label: "Nr. expeditorului (sender's ref.)", Kind: "text", Optional: true},
}

// registerInputs are the fields of the registration form, in order.
var registerInputs = []string{"de", "tip", "subiect", "categorie", "canal", "pagini", "termen", "contact", "nr"}

// openRegister opens the registration form for who, when they may register.
func (a *Adapter) openRegister(ctx context.Context, key string, who commands.Identity, sc slackgo.SlashCommand, o origin, english bool) {
	meta := formMeta{Command: registerCommand, Inputs: registerInputs, Channel: sc.ChannelID, ResponseURL: sc.ResponseURL, English: english}
	title := "Înregistrare"
	if english {
		meta.Command, title = "register", "Registration"
	}
	a.openForm(ctx, formOpen{key: key, who: who, command: registerCommand, english: english, trigger: sc.TriggerID,
		origin: o, view: a.form(viewRegister, title, meta), typed: a.typedForm(meta)})
}

// formOpen is a form to open for a click or a slash command.
type formOpen struct {
	key     string // the event's dedupe key
	who     commands.Identity
	command string // the command the form fills in, by its name
	english bool
	trigger string
	origin  origin
	view    slackgo.ModalViewRequest
	typed   string // the command to type instead, with placeholders
}

// openForm opens a form once per trigger, at once: in its own goroutine, not
// queued behind the workers, and before any command runs — Slack's trigger
// lives 3 s. Who may not run the command gets the engine's refusal instead,
// privately (in a worker). When Slack answers views.open with 429, waiting
// would outlive the trigger: the asker is told the command to type.
func (a *Adapter) openForm(ctx context.Context, f formOpen) {
	a.track()
	go func() {
		defer a.done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handlerTimeout)
		defer cancel()
		defer func() {
			if r := recover(); r != nil {
				a.log.Error("slack: form opening panicked", "panic", r, "stack", string(debug.Stack()))
				a.apologise(ctx, f.origin)
			}
		}()
		a.once(ctx, f.key, func() bool { return a.showForm(ctx, f) })
	}()
}

// showForm opens the form, or answers why not; it reports whether the
// asker got an answer.
func (a *Adapter) showForm(ctx context.Context, f formOpen) bool {
	if !a.engine.May(f.who, f.command) {
		return a.refuseForm(ctx, f)
	}
	err := a.web.openView(ctx, f.trigger, f.view)
	if err == nil {
		return true
	}
	if _, limited := retryAfter(err); limited {
		a.log.Warn("slack: form not opened (rate limited); the command to type was sent instead", "command", f.command, "err", err)
		return a.offerTyped(ctx, f)
	}
	a.log.Error("slack: form not opened", "command", f.command, "err", err)
	a.apologise(ctx, f.origin)
	return false
}

// refuseForm answers, in a worker, with the engine's refusal of the
// command the form would fill in.
func (a *Adapter) refuseForm(ctx context.Context, f formOpen) bool {
	a.sem <- struct{}{}
	defer func() { <-a.sem }()
	ok, refusal := a.allowed(ctx, f.who, f.command, f.english)
	if ok { // the role changed meanwhile: let them press again
		refusal = commands.Reply{Kind: commands.Failed, Private: true,
			Title: "Formularul nu s-a putut deschide; apăsați din nou.", Lines: []string{"The form could not open; press again."}}
	}
	o := f.origin
	o.QuietErrors = true
	if err := a.answer(ctx, o, refusal); err != nil {
		a.log.Error("slack: refusal not posted", "err", err)
		return false
	}
	return !ok
}

// offerTyped tells the asker, privately, the command the form stands for.
func (a *Adapter) offerTyped(ctx context.Context, f formOpen) bool {
	r := commands.Reply{Kind: commands.Failed, Private: true,
		Title: "Slack nu a deschis formularul acum (prea multe cereri). Scrieți comanda:",
		Lines: []string{"Slack did not open the form now (too many requests). Type the command:", "/cabinet " + f.typed}}
	o := f.origin
	o.QuietErrors = true
	if err := a.answer(ctx, o, r); err != nil {
		a.log.Error("slack: the command to type was not posted", "err", err)
		return false
	}
	return true
}

// typedForm is the command a form stands for, with a placeholder for each
// input (optional ones in brackets): what to type when the form cannot open.
func (a *Adapter) typedForm(meta formMeta) string {
	keys := map[string]bool{}
	if cmd, _ := a.lookup(meta.Command); cmd != nil {
		for _, k := range cmd.Keys {
			keys[k.Name] = true
		}
	}
	parts := []string{meta.Command}
	for _, key := range meta.Inputs {
		in, ok := inputs[key]
		if !ok {
			in = input{Kind: "text"}
		}
		p := placeholder(in.Kind)
		if keys[key] {
			p = key + "=" + p
		}
		if in.Optional {
			p = "[" + p + "]"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// placeholder stands for a value of a kind in a command to type.
func placeholder(kind string) string {
	switch kind {
	case "date":
		return "ZZ.LL.AAAA"
	case "number":
		return "N"
	case "departments":
		return "COD"
	case commands.VocabSenderType, commands.VocabCategory, commands.VocabChannel:
		var vals []string
		for _, c := range commands.Choices(kind) {
			vals = append(vals, c.Value)
		}
		return strings.Join(vals, "|")
	}
	return `"…"`
}

// form builds a modal asking for meta.Inputs.
func (a *Adapter) form(callback, title string, meta formMeta) slackgo.ModalViewRequest {
	md, _ := json.Marshal(meta)
	v := slackgo.ModalViewRequest{Type: slackgo.VTModal, CallbackID: callback, PrivateMetadata: string(md),
		Title: plain(truncate(title, 24)), Submit: plain("Trimite"), Close: plain("Renunță")}
	if meta.Item != "" {
		v.Blocks.BlockSet = append(v.Blocks.BlockSet, slackgo.NewContextBlock("", mrkdwn("*"+escape(meta.Item)+"* — "+escape(meta.Command))))
	}
	for _, key := range meta.Inputs {
		v.Blocks.BlockSet = append(v.Blocks.BlockSet, a.inputBlock(key))
	}
	return v
}

// inputBlock is the block asking for one key.
func (a *Adapter) inputBlock(key string) *slackgo.InputBlock {
	in, ok := inputs[key]
	if !ok {
		in = input{Label: key, Kind: "text"}
	}
	var el slackgo.BlockElement
	switch in.Kind {
	case "date":
		el = slackgo.NewDatePickerBlockElement(inputAction)
	case "long":
		t := slackgo.NewPlainTextInputBlockElement(nil, inputAction)
		t.Multiline = true
		t.MaxLength = 2000
		el = t
	case "number":
		t := slackgo.NewPlainTextInputBlockElement(plain("15"), inputAction)
		t.MaxLength = 6
		el = t
	case "departments":
		if opts := a.departmentOptions(); len(opts) > 0 {
			el = slackgo.NewOptionsSelectBlockElement(slackgo.OptTypeStatic, plain("Alegeți / choose"), inputAction, opts...)
		}
	case commands.VocabSenderType, commands.VocabCategory, commands.VocabChannel:
		var opts []*slackgo.OptionBlockObject
		var initial *slackgo.OptionBlockObject
		for _, c := range commands.Choices(in.Kind) {
			o := slackgo.NewOptionBlockObject(c.Value, plain(truncate(c.Ro+" / "+c.En, 75)), nil)
			opts = append(opts, o)
			if c.Value == in.Initial {
				initial = o
			}
		}
		s := slackgo.NewOptionsSelectBlockElement(slackgo.OptTypeStatic, plain("Alegeți / choose"), inputAction, opts...)
		s.InitialOption = initial
		el = s
	}
	if el == nil {
		t := slackgo.NewPlainTextInputBlockElement(nil, inputAction)
		t.MaxLength = 500
		el = t
	}
	var hint *slackgo.TextBlockObject
	if in.Hint != "" {
		hint = plain(in.Hint)
	}
	b := slackgo.NewInputBlock(inputPrefix+key, plain(in.Label), hint, el)
	b.Optional = in.Optional
	return b
}

// departmentOptions are the departments that may receive assignments, for a
// drop-down (none when there are too many for one: then the code is typed).
func (a *Adapter) departmentOptions() []*slackgo.OptionBlockObject {
	depts, err := a.store.Departments()
	if err != nil {
		a.log.Warn("slack: departments for a form", "err", err)
		return nil
	}
	var out []*slackgo.OptionBlockObject
	for _, d := range depts {
		if d.Closed {
			continue
		}
		out = append(out, slackgo.NewOptionBlockObject(d.Code, plain(truncate(d.Code+" — "+d.Name, 75)), nil))
	}
	if len(out) > maxOptions {
		return nil
	}
	return out
}

// onInteraction handles a button press or a form's submission.
func (a *Adapter) onInteraction(ctx context.Context, cb slackgo.InteractionCallback) {
	switch cb.Type {
	case slackgo.InteractionTypeBlockActions:
		for _, act := range cb.ActionCallback.BlockActions {
			if strings.HasPrefix(act.ActionID, actionPrefix) {
				a.onButton(ctx, cb, act)
			}
		}
	case slackgo.InteractionTypeViewSubmission:
		switch cb.View.CallbackID {
		case viewAction, viewRegister:
			a.onSubmit(ctx, cb)
		}
	}
}

// onButton runs the command a button stands for, or opens the form asking
// for its inputs first.
func (a *Adapter) onButton(ctx context.Context, cb slackgo.InteractionCallback, act *slackgo.BlockAction) {
	var v buttonValue
	if err := json.Unmarshal([]byte(act.Value), &v); err != nil || v.Command == "" {
		a.log.Warn("slack: a button with an unknown value", "action", act.ActionID)
		return
	}
	channel := cb.Container.ChannelID
	if channel == "" {
		channel = cb.Channel.ID
	}
	thread := cb.Container.ThreadTs
	if thread == "" && !cb.Container.IsEphemeral {
		thread = cb.Container.MessageTs // the card itself starts the thread
	}
	o := origin{Channel: channel, Thread: thread, User: cb.User.ID, ResponseURL: cb.ResponseURL, QuietErrors: true,
		DM: strings.HasPrefix(channel, "D")} // a card in a direct message is in the bot's own
	who := commands.Identity{Platform: a.Name(), ID: cb.User.ID, Name: cb.User.Name}
	key := keyAction + cb.TriggerID
	if cb.TriggerID == "" {
		key = keyAction + channel + "/" + act.ActionTs + "/" + cb.User.ID
	}
	if len(v.Inputs) == 0 {
		req := commands.Request{Who: who, Text: v.Command, EventID: key, Item: v.Item}
		a.spawn(ctx, &o, func(ctx context.Context) { a.run(ctx, req, o) })
		return
	}
	cmd, english := a.lookup(v.Command)
	if cmd == nil {
		a.log.Warn("slack: a button names no command", "command", v.Command)
		return
	}
	name := cmd.Name
	if english {
		name = cmd.English()
	}
	meta := formMeta{Command: v.Command, Inputs: v.Inputs, Item: v.Item, Channel: channel, Thread: thread, ResponseURL: cb.ResponseURL, DM: o.DM}
	label := v.Label
	if label == "" {
		label = name
	}
	a.openForm(ctx, formOpen{key: key, who: who, command: name, english: english, trigger: cb.TriggerID,
		origin: o, view: a.form(viewAction, label, meta), typed: a.typedForm(meta)})
}

// onSubmit runs the command a form was filled in for, exactly like typed
// text: the command, then each input as key="value" when the command takes
// that key, else as the next bare argument.
func (a *Adapter) onSubmit(ctx context.Context, cb slackgo.InteractionCallback) {
	var meta formMeta
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil || meta.Command == "" {
		a.log.Warn("slack: a form with unknown metadata", "view", cb.View.ID)
		return
	}
	line := a.commandLine(meta, cb.View.State)
	o := origin{Channel: meta.Channel, Thread: meta.Thread, User: cb.User.ID, ResponseURL: meta.ResponseURL, DM: meta.DM,
		QuietErrors: true, Echo: line}
	req := commands.Request{Who: commands.Identity{Platform: a.Name(), ID: cb.User.ID, Name: cb.User.Name},
		Text: line, EventID: keyView + cb.View.ID, Item: meta.Item}
	a.spawn(ctx, &o, func(ctx context.Context) { a.run(ctx, req, o) })
}

// commandLine writes the command a form stands for.
func (a *Adapter) commandLine(meta formMeta, state *slackgo.ViewState) string {
	keys := map[string]bool{}
	if cmd, _ := a.lookup(meta.Command); cmd != nil {
		for _, k := range cmd.Keys {
			keys[k.Name] = true
		}
	}
	var b strings.Builder
	b.WriteString(meta.Command)
	for _, key := range meta.Inputs {
		v := strings.TrimSpace(formValue(state, key))
		if v == "" {
			continue
		}
		if keys[key] {
			b.WriteString(" " + key + "=" + quote(v))
		} else {
			b.WriteString(" " + quote(v))
		}
	}
	return b.String()
}

// formValue reads the value a form's input holds, whatever its element: a
// date is written the way people here write it (20.11.2026).
func formValue(state *slackgo.ViewState, key string) string {
	if state == nil {
		return ""
	}
	act, ok := state.Values[inputPrefix+key][inputAction]
	if !ok {
		return ""
	}
	switch {
	case act.SelectedDate != "":
		if y, rest, ok := strings.Cut(act.SelectedDate, "-"); ok {
			if m, d, ok := strings.Cut(rest, "-"); ok {
				return d + "." + m + "." + y
			}
		}
		return act.SelectedDate
	case act.SelectedOption.Value != "":
		return act.SelectedOption.Value
	}
	return act.Value
}
