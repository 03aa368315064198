package commands

import (
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/export"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// exportMax bounds the rows of one export: a spreadsheet of this size is
// still a file chat platforms take, and a person can open.
const exportMax = 100_000

// canExportContacts reports whether the caller's exports carry the senders'
// contact details (personal data). Unlike a single card, which a department
// member sees for their own items, an export spans departments: only the
// roles that see every contact get them.
func (c Caller) canExportContacts() bool {
	switch c.Role {
	case RoleAdmin, RoleCabinet, RoleMayor:
		return true
	}
	return false
}

const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
)

func runExport(c *Call) (Reply, error) {
	p, err := c.reportPeriod()
	if err != nil {
		return Reply{}, err
	}
	f, err := c.reportFilter()
	if err != nil {
		return Reply{}, err
	}
	format := "xlsx"
	if v, ok := c.Key("format"); ok {
		switch text.Fold(strings.TrimSpace(v)) {
		case "xlsx", "excel":
			format = "xlsx"
		case "csv":
			format = "csv"
		default:
			return Reply{}, c.Fail("Format necunoscut: „%s”. Formate: xlsx, csv.", "Unknown format: “%s”. Formats: xlsx, csv.", v)
		}
	}
	// The statistics find the items (and apply the filter) without reading
	// records; only the records exported are read.
	var nums []storage.Number
	err = c.e.store.StatsRegistered(p.from.ISO(), p.to.ISO(), func(st *storage.Stat) bool {
		if f.Match(st) {
			nums = append(nums, st.Number)
		}
		return len(nums) <= exportMax
	})
	if err != nil {
		return Reply{}, err
	}
	if len(nums) > exportMax {
		return Reply{}, c.Fail("Perioada are peste %s de înregistrări; alegeți o perioadă mai scurtă sau un departament.",
			"The period has over %s registrations; choose a shorter period or a department.", c.num(exportMax))
	}
	title := c.T("Registrul %s", "Register %s", c.label(p)) + c.filterSuffix(f)
	if len(nums) == 0 {
		return Reply{Title: title, Lines: []string{c.T("Nicio înregistrare în această perioadă.", "Nothing was registered in this period.")}}, nil
	}
	contacts := c.Caller.canExportContacts()
	table, err := c.registerTable(nums, contacts)
	if err != nil {
		return Reply{}, err
	}
	name := "registru-" + p.from.ISO() + "_" + p.to.ISO()
	if f.Dept != "" {
		name += "-" + f.Dept
	}
	if f.Category != "" {
		name += "-" + f.Category
	}
	var file File
	switch format {
	case "csv":
		data, err := export.CSV(table)
		if err != nil {
			return Reply{}, err
		}
		file = File{Name: name + ".csv", MIME: mimeCSV, Data: data}
	default:
		data, err := export.XLSX(table)
		if err != nil {
			return Reply{}, err
		}
		file = File{Name: name + ".xlsx", MIME: mimeXLSX, Data: data}
	}
	r := Reply{Title: title + ": " + c.countOf(len(nums), text.Inregistr, "registration", "registrations"), Files: []File{file}}
	if !contacts {
		r.Lines = append(r.Lines, c.T("Fără datele de contact ale expeditorilor (date personale): rolul dumneavoastră nu le poate exporta.",
			"Without the senders' contact details (personal data): your role may not export them."))
	}
	return r, nil
}

// registerTable lays out the register as a table, in order of registration.
func (c *Call) registerTable(nums []storage.Number, contacts bool) (*export.Table, error) {
	cols := []export.Column{
		{Header: c.T("Nr. înregistrare", "Reg. no."), Kind: export.Text, Width: 14},
		{Header: c.T("Data înregistrării", "Registered on"), Kind: export.Date, Width: 13},
		{Header: c.T("Ora", "Time"), Kind: export.Text, Width: 7},
		{Header: c.T("Canal", "Channel"), Kind: export.Text, Width: 12},
		{Header: c.T("Expeditor", "Sender"), Kind: export.Text, Width: 28},
		{Header: c.T("Tip expeditor", "Sender type"), Kind: export.Text, Width: 16},
	}
	if contacts {
		cols = append(cols, export.Column{Header: c.T("Contact", "Contact"), Kind: export.Text, Width: 28})
	}
	cols = append(cols,
		export.Column{Header: c.T("Nr. și data expeditorului", "Sender's ref."), Kind: export.Text, Width: 16},
		export.Column{Header: c.T("Subiect", "Subject"), Kind: export.Text, Width: 50},
		export.Column{Header: c.T("Categorie", "Category"), Kind: export.Text, Width: 18},
		export.Column{Header: c.T("Pagini", "Pages"), Kind: export.Int, Width: 7},
		export.Column{Header: c.T("Departament", "Department"), Kind: export.Text, Width: 12},
		export.Column{Header: c.T("În copie", "In copy"), Kind: export.Text, Width: 12},
		export.Column{Header: c.T("Termen", "Deadline"), Kind: export.Date, Width: 12},
		export.Column{Header: c.T("Stare", "Status"), Kind: export.Text, Width: 14},
		export.Column{Header: c.T("Nr. răspuns", "Answer no."), Kind: export.Text, Width: 12},
		export.Column{Header: c.T("Data răspunsului", "Answered on"), Kind: export.Date, Width: 13},
		export.Column{Header: c.T("La termen", "On time"), Kind: export.Text, Width: 9},
		export.Column{Header: c.T("Zile până la răspuns", "Days to answer"), Kind: export.Int, Width: 10},
		export.Column{Header: c.T("Conexată la", "Joined to"), Kind: export.Text, Width: 12},
		export.Column{Header: c.T("Redirecționată către", "Forwarded to"), Kind: export.Text, Width: 24},
		export.Column{Header: c.T("Observații", "Notes"), Kind: export.Text, Width: 30},
	)
	t := &export.Table{Sheet: c.T("Registru", "Register"), Columns: cols, Rows: make([][]export.Cell, 0, len(nums))}
	err := c.e.store.ReadItems(nums, func(it *storage.Item) error {
		reg := it.Registered.In(calendar.Bucharest)
		row := []export.Cell{export.Str(it.Number.String()), export.Day(reg), export.Str(reg.Format("15:04")),
			export.Str(c.Lang.name(channelNames, it.Channel)), export.Str(it.Sender), export.Str(c.Lang.name(senderTypeNames, it.SenderType))}
		if contacts {
			row = append(row, export.Str(it.Contact))
		}
		deadline, _ := calendar.ParseISO(it.Deadline)
		answered, _ := calendar.ParseISO(it.AnswerDate)
		if it.LegalDeadline != "" {
			legal, _ := calendar.ParseISO(it.LegalDeadline) // judged against the legal term
			deadline = legal
		}
		onTime, days := "", 0
		if !answered.IsZero() && it.Status == storage.StatusResolved {
			onTime = c.T("da", "yes")
			if answered.After(deadline) {
				onTime = c.T("nu", "no")
			}
			days = calendar.DateOf(it.Registered).DaysUntil(answered)
		}
		joined := ""
		if !it.JoinedTo.IsZero() {
			joined = it.JoinedTo.String()
		}
		row = append(row, export.Str(it.SenderRef), export.Str(it.Subject), export.Str(c.Lang.category(it.Category)),
			export.NumIf(it.Pages, it.Pages > 0), export.Str(it.Dept), export.Str(strings.Join(it.CC, ", ")),
			dateCell(deadline), export.Str(c.Lang.name(statusNames, string(it.Status))), export.Str(it.AnswerNo),
			dateCell(answered), export.Str(onTime), export.NumIf(days, !answered.IsZero()), export.Str(joined),
			export.Str(it.ForwardedTo), export.Str(it.Note))
		t.Rows = append(t.Rows, row)
		return nil
	})
	return t, err
}

func dateCell(d calendar.Date) export.Cell {
	if d.IsZero() {
		return export.Blank()
	}
	return export.Day(d.Start())
}
