package commands

import (
	"strconv"
	"strings"
	"time"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
)

// span is the period a report or an export covers, both days included.
type span struct {
	from, to calendar.Date
}

func (s span) days() (storage.Day, storage.Day) { return dayOf(s.from), dayOf(s.to) }

func dayOf(d calendar.Date) storage.Day { return storage.DayFromDate(d.Year, d.Month, d.Day) }

func dateOfDay(d storage.Day) calendar.Date {
	y, m, dd := d.Date()
	return calendar.Date{Year: y, Month: m, Day: dd}
}

// periodWords are the periods said in words, relative to today.
var periodWords = map[string]string{
	"azi": "today", "astazi": "today", "today": "today",
	"ieri": "yesterday", "yesterday": "yesterday",
	"saptamana": "week", "saptamana aceasta": "week", "week": "week", "this week": "week",
	"saptamana trecuta": "last week", "last week": "last week",
	"luna": "month", "luna aceasta": "month", "month": "month", "this month": "month",
	"luna trecuta": "last month", "last month": "last month",
	"an": "year", "anul": "year", "anul acesta": "year", "year": "year", "this year": "year",
	"anul trecut": "last year", "last year": "last year",
}

// reportPeriod reads the period of a report from the bare arguments: a word
// (azi, saptamana, luna, an, luna trecuta…), a year (2026), a month
// (11.2026), a day or a range (01.11.2026-25.11.2026). Nothing means this
// month.
func (c *Call) reportPeriod() (span, error) {
	today := calendar.DateOf(c.e.Now())
	arg := strings.TrimSpace(strings.Join(c.Args, " "))
	if arg == "" {
		arg = "luna"
	}
	monday := today.AddDays(-((int(today.Weekday()) + 6) % 7))
	firstOfMonth := calendar.Date{Year: today.Year, Month: today.Month, Day: 1}
	switch periodWords[text.Fold(arg)] {
	case "today":
		return span{today, today}, nil
	case "yesterday":
		return span{today.AddDays(-1), today.AddDays(-1)}, nil
	case "week":
		return span{monday, monday.AddDays(6)}, nil
	case "last week":
		return span{monday.AddDays(-7), monday.AddDays(-1)}, nil
	case "month":
		return monthSpan(today.Year, today.Month), nil
	case "last month":
		prev := firstOfMonth.AddDays(-1)
		return monthSpan(prev.Year, prev.Month), nil
	case "year":
		return yearSpan(today.Year), nil
	case "last year":
		return yearSpan(today.Year - 1), nil
	}
	if y, err := strconv.Atoi(arg); err == nil && len(arg) == 4 {
		if y < 1990 || y > 2999 {
			return span{}, c.Fail("Anul %d nu are registru.", "There is no register for the year %d.", y)
		}
		return yearSpan(y), nil
	}
	if m, y, ok := strings.Cut(arg, "."); ok && len(y) == 4 && len(m) <= 2 && !strings.Contains(y, ".") {
		mm, err1 := strconv.Atoi(m)
		yy, err2 := strconv.Atoi(y)
		if err1 == nil && err2 == nil && mm >= 1 && mm <= 12 && yy >= 1990 && yy <= 2999 {
			return monthSpan(yy, time.Month(mm)), nil
		}
	}
	if len(c.Args) > 1 {
		return span{}, c.Fail("Perioadă neînțeleasă: „%s”. Scrieți azi, saptamana, luna, an, 11.2026 sau 01.11.2026-25.11.2026.",
			"Period not understood: “%s”. Write today, week, month, year, 11.2026 or 01.11.2026-25.11.2026.", arg)
	}
	from, to, err := c.period(arg)
	if err != nil {
		return span{}, err
	}
	return span{from, to}, nil
}

func monthSpan(y int, m time.Month) span {
	first := calendar.Date{Year: y, Month: m, Day: 1}
	next := first.AddDays(32)
	return span{first, calendar.Date{Year: next.Year, Month: next.Month, Day: 1}.AddDays(-1)}
}

func yearSpan(y int) span {
	return span{calendar.Date{Year: y, Month: 1, Day: 1}, calendar.Date{Year: y, Month: 12, Day: 31}}
}

var monthNames = [...][2]string{
	{"ianuarie", "January"}, {"februarie", "February"}, {"martie", "March"}, {"aprilie", "April"},
	{"mai", "May"}, {"iunie", "June"}, {"iulie", "July"}, {"august", "August"},
	{"septembrie", "September"}, {"octombrie", "October"}, {"noiembrie", "November"}, {"decembrie", "December"},
}

// label names the period as people say it: 25.11.2026, noiembrie 2026,
// anul 2026, or 01.11.2026–25.11.2026.
func (c *Call) label(s span) string {
	switch {
	case s.from == s.to:
		return s.from.String()
	case s == yearSpan(s.from.Year):
		return c.T("anul %d", "year %d", s.from.Year)
	case s == monthSpan(s.from.Year, s.from.Month):
		n := monthNames[s.from.Month-1]
		return c.T("%[1]s %[2]d", "%[3]s %[2]d", n[0], s.from.Year, n[1])
	}
	return s.from.String() + "–" + s.to.String()
}
