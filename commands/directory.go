package commands

import (
	"errors"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

func directoryCommands() []*Command {
	return []*Command{
		{Name: "telefon", Aliases: []string{"phone", "tel"}, Roles: everyone, Group: groupPhone,
			Usage: "TEXT", UsageEn: "TEXT",
			Summary:   "caută în agenda telefonică după nume, funcție, departament, interior sau număr (cu sau fără diacritice, cu o greșeală de tastare)",
			SummaryEn: "looks up the phone directory by name, function, department, extension or number (with or without diacritics, a typo forgiven)",
			Examples:  []string{"telefon popescu", "telefon urbanism", "telefon 5001", "phone popescu"}, Run: runPhone},
		{Name: "contact adauga", Aliases: []string{"contact add", "contact adaugă"}, Roles: staff, Group: groupPhone,
			Usage:     `"Nume" [functie="..."] [departament=COD] [telefon="..."] [interior=N] [mobil="..."] [email=...] [birou="..."] [observatii="..."]`,
			UsageEn:   `"Name" [function="..."] [department=CODE] [phone="..."] [extension=N] [mobile="..."] [e-mail=...] [office="..."] [notes="..."]`,
			Summary:   "adaugă o persoană (sau o funcție) în agenda telefonică",
			SummaryEn: "adds a person (or a function) to the phone directory",
			Examples: []string{`contact adauga "Ion Popescu" functie="Director executiv" departament=DT telefon="0264 000 101" interior=5001`,
				`contact add "Ion Popescu" function="Executive director" department=DT phone="0264 000 101" extension=5001`},
			Keys: entryKeys, Run: runEntryAdd},
		{Name: "contact modifica", Aliases: []string{"contact edit", "contact modifică"}, Roles: staff, Group: groupPhone,
			Usage:     `#ID|"Nume" [nume="..."] [functie="..."] [departament=COD] [telefon="..."] [interior=N] [mobil="..."] [email=...] [birou="..."] [observatii="..."]`,
			UsageEn:   `#ID|"Name" [name="..."] [function="..."] [department=CODE] [phone="..."] [extension=N] [mobile="..."] [e-mail=...] [office="..."] [notes="..."]`,
			Summary:   "schimbă o intrare din agendă (- șterge o valoare)",
			SummaryEn: "changes a directory entry (- clears a value)",
			Examples:  []string{`contact modifica "Ion Popescu" interior=5002 mobil=-`, `contact edit #17 phone="0264 000 102"`},
			Keys:      entryKeys, Run: runEntryEdit},
		{Name: "contact sterge", Aliases: []string{"contact remove", "contact șterge"}, Roles: staff, Group: groupPhone,
			Usage: `#ID|"Nume"`, UsageEn: `#ID|"Name"`,
			Summary: "scoate o intrare din agendă", SummaryEn: "removes a directory entry",
			Examples: []string{`contact sterge "Ion Popescu"`, "contact remove #17"}, Run: runEntryRemove},
		{Name: "import-director", Aliases: []string{"import-directory", "import-agenda-telefonica"}, Roles: staff, Group: groupPhone,
			Usage: "FIȘIER.csv [mod=actualizare|inlocuire]", UsageEn: "FILE.csv [mode=update|replace]", File: "CSV",
			Summary:   "importă agenda telefonică dintr-un CSV (Excel, ; sau ,, antet în română sau engleză); rândurile greșite se raportează și nu se importă nimic; reimportul nu dublează; inlocuire scoate ce nu e în fișier",
			SummaryEn: "imports the phone directory from a CSV (Excel, ; or ,, Romanian or English header); bad rows are reported and nothing is imported; re-importing makes no duplicates; replace removes what the file lacks",
			Examples:  []string{"import-director agenda.csv", "import-directory directory.csv mode=replace"},
			Keys:      []Key{{"mod", "mode"}}, Run: runImportDirectory},
		{Name: "export-director", Aliases: []string{"export-directory", "export-agenda-telefonica"}, Roles: everyone, Group: groupPhone,
			Usage: "[csv|vcf] [departament=COD]", UsageEn: "[csv|vcf] [department=CODE]",
			Summary:   "agenda telefonică ca fișier: CSV pentru Excel sau vCard (.vcf) pentru contactele telefonului; cu departament=, doar acel departament și subunitățile lui",
			SummaryEn: "the phone directory as a file: CSV for Excel or vCard (.vcf) for a phone's contacts; with department=, only that department and its sub-departments",
			Examples:  []string{"export-director", "export-director vcf", "export-directory vcf department=DT"},
			Keys:      []Key{{"departament", "department"}}, Run: runExportDirectory},
	}
}

// entryDept resolves the department of an entry typed in a command: by code
// or name, as anywhere else; a closed one is refused.
func (c *Call) entryDept(v string) (string, error) {
	v = cleanText(v)
	if v == "" || v == clearWord {
		return "", nil
	}
	d, err := c.department(v)
	if err != nil {
		return "", err
	}
	if d.Closed {
		return "", c.Fail("Departamentul %s (%s) este desființat.", "The department %s (%s) is closed.", d.Code, d.Name)
	}
	return d.Code, nil
}

// entryFromKeys applies the typed key=value arguments to e; it returns the
// keys given.
func (c *Call) entryFromKeys(e *storage.Entry) ([]string, error) {
	var given []string
	for _, k := range entryKeys {
		v, ok := c.Key(k.Name)
		if !ok {
			continue
		}
		given = append(given, k.Name)
		if k.Name == "departament" {
			code, err := c.entryDept(v)
			if err != nil {
				return given, err
			}
			e.Dept = code
			continue
		}
		if p := setEntryField(e, k.Name, v); p != nil {
			return given, p.err()
		}
	}
	return given, nil
}

// entryField points at the field of e a key names.
func entryField(e *storage.Entry, key string) *string {
	switch key {
	case "nume":
		return &e.Name
	case "functie":
		return &e.Function
	case "departament":
		return &e.Dept
	case "telefon":
		return &e.Phone
	case "interior":
		return &e.Extension
	case "mobil":
		return &e.Mobile
	case "email":
		return &e.Email
	case "birou":
		return &e.Office
	case "observatii":
		return &e.Notes
	}
	return new(string)
}

func runEntryAdd(c *Call) (Reply, error) {
	var e storage.Entry
	if _, err := c.entryFromKeys(&e); err != nil {
		return Reply{}, err
	}
	if len(c.Args) > 0 {
		if _, named := c.Key("nume"); named {
			return Reply{}, c.Fail("Dați numele o singură dată: fie „Nume”, fie nume=.", "Give the name once: either “Name” or name=.")
		}
		if p := setEntryField(&e, "nume", strings.Join(c.Args, " ")); p != nil {
			return Reply{}, p.err()
		}
	}
	if p := checkEntry(e); p != nil {
		return Reply{}, p.err()
	}
	saved, err := c.e.store.AddEntry(c.Ctx, e, c.meta())
	var dup *storage.DuplicateError
	if errors.As(err, &dup) {
		return Reply{}, c.Fail("Există deja în agendă, ca #%s; schimbați-l cu: contact modifica #%s …",
			"It is already in the directory, as #%s; change it with: contact edit #%s …", dup.ID, dup.ID)
	}
	if err != nil {
		return Reply{}, err
	}
	ix, err := c.e.directory()
	if err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T("Adăugat în agenda telefonică: #%s %s", "Added to the phone directory: #%s %s", saved.ID, entryTitle(&saved)),
		Lines: []string{ix.entryLine(&saved, c, true)}}, nil
}

func runEntryEdit(c *Call) (Reply, error) {
	e, err := c.findEntry()
	if err != nil {
		return Reply{}, err
	}
	after := e
	given, err := c.entryFromKeys(&after)
	if err != nil {
		return Reply{}, err
	}
	if len(given) == 0 {
		return Reply{}, c.Fail("Spuneți ce se schimbă: %s.", "Say what changes: %s.", c.cmd.keyList(c.Lang))
	}
	if p := checkEntry(after); p != nil {
		return Reply{}, p.err()
	}
	saved, err := c.e.store.ChangeEntry(c.Ctx, e.ID, c.meta(), func(x *storage.Entry) error {
		for _, k := range given { // only what was typed: a change made meanwhile stays
			*entryField(x, k) = *entryField(&after, k)
		}
		if p := checkEntry(*x); p != nil {
			return p.err()
		}
		return nil
	})
	var dup *storage.DuplicateError
	if errors.As(err, &dup) {
		return Reply{}, c.Fail("Agenda are deja această persoană, funcție și departament, ca #%s.",
			"The directory already has this person, function and department, as #%s.", dup.ID)
	}
	if errors.Is(err, storage.ErrNotFound) {
		return Reply{}, c.Fail("Intrarea #%s tocmai a fost ștearsă.", "The entry #%s was just removed.", e.ID)
	}
	if err != nil {
		return Reply{}, err
	}
	ix, err := c.e.directory()
	if err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T("Modificat în agenda telefonică: #%s %s", "Changed in the phone directory: #%s %s", saved.ID, entryTitle(&saved)),
		Lines: []string{ix.entryLine(&saved, c, true)}}, nil
}

func runEntryRemove(c *Call) (Reply, error) {
	e, err := c.findEntry()
	if err != nil {
		return Reply{}, err
	}
	if _, err := c.e.store.RemoveEntry(c.Ctx, e.ID, c.meta()); errors.Is(err, storage.ErrNotFound) {
		return Reply{}, c.Fail("Intrarea #%s tocmai a fost ștearsă.", "The entry #%s was just removed.", e.ID)
	} else if err != nil {
		return Reply{}, err
	}
	return Reply{Title: c.T("Scos din agenda telefonică: #%s %s", "Removed from the phone directory: #%s %s", e.ID, entryTitle(&e))}, nil
}

// findEntry finds the entry the first argument names: #17 (or 17), or its
// person's name (its function, for an entry without a person).
func (c *Call) findEntry() (storage.Entry, error) {
	if len(c.Args) == 0 {
		return storage.Entry{}, c.Fail("Spuneți care intrare: numărul ei (#17) sau numele.", "Say which entry: its number (#17) or the name.")
	}
	arg := strings.Join(c.Args, " ")
	if id := strings.TrimPrefix(strings.TrimSpace(arg), "#"); isDigits(id) {
		e, err := c.e.store.Entry(id)
		if errors.Is(err, storage.ErrNotFound) {
			return e, c.Fail("Nu există intrarea #%s în agendă.", "There is no entry #%s in the directory.", id)
		}
		return e, err
	}
	ix, err := c.e.directory()
	if err != nil {
		return storage.Entry{}, err
	}
	q := strings.Join(text.Words(arg), " ")
	var found []*storage.Entry
	for _, d := range ix.docs[:ix.entries] {
		if d.sort == q {
			found = append(found, d.entry)
		}
	}
	switch {
	case len(found) == 1:
		return *found[0], nil
	case len(found) > 1:
		var list []string
		for _, e := range found {
			list = append(list, ix.entryLine(e, c, true))
		}
		return storage.Entry{}, &UserError{
			Ro: "„" + arg + "” are mai multe intrări; spuneți numărul: " + strings.Join(list, "; "),
			En: "“" + arg + "” has several entries; give the number: " + strings.Join(list, "; ")}
	}
	var maybe []string
	for _, h := range ix.search(queryWords(arg)) {
		if e := ix.docs[h.doc].entry; e != nil && len(maybe) < 3 {
			maybe = append(maybe, "#"+e.ID+" "+entryTitle(e))
		}
	}
	if len(maybe) > 0 {
		return storage.Entry{}, c.Fail("Nu am în agendă „%s”. Poate: %s?", "“%s” is not in the directory. Perhaps: %s?", arg, strings.Join(maybe, ", "))
	}
	return storage.Entry{}, c.Fail("Nu am în agendă „%s”.", "“%s” is not in the directory.", arg)
}
