package calendar

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func d(s string) Date {
	t, err := time.Parse("02.01.2006", s)
	if err != nil {
		panic(err)
	}
	return Date{t.Year(), t.Month(), t.Day()}
}

func TestLegalHolidays(t *testing.T) {
	want := map[int][]string{
		2026: {"01.01.2026", "02.01.2026", "06.01.2026", "07.01.2026", "24.01.2026",
			"10.04.2026", "12.04.2026", "13.04.2026", "01.05.2026", "31.05.2026", "01.06.2026",
			"15.08.2026", "30.11.2026", "01.12.2026", "25.12.2026", "26.12.2026"},
		2027: {"01.01.2027", "02.01.2027", "06.01.2027", "07.01.2027", "24.01.2027",
			"30.04.2027", "01.05.2027", "02.05.2027", "03.05.2027", "01.06.2027", "20.06.2027",
			"21.06.2027", "15.08.2027", "30.11.2027", "01.12.2027", "25.12.2027", "26.12.2027"},
		2028: {"01.01.2028", "02.01.2028", "06.01.2028", "07.01.2028", "24.01.2028",
			"14.04.2028", "16.04.2028", "17.04.2028", "01.05.2028", "01.06.2028", "04.06.2028",
			"05.06.2028", "15.08.2028", "30.11.2028", "01.12.2028", "25.12.2028", "26.12.2028"},
	}
	for year, days := range want {
		got := LegalHolidays(year)
		if len(got) != len(days) {
			t.Errorf("%d: %d holidays, want %d: %v", year, len(got), len(days), got)
		}
		for _, s := range days {
			if _, ok := got[d(s)]; !ok {
				t.Errorf("%s is not a holiday", s)
			}
		}
	}
	if name := LegalHolidays(2026)[d("01.06.2026")]; !strings.Contains(name, "Copilului") || !strings.Contains(name, "Rusalii") {
		t.Errorf("1 June 2026 = %q, want both Children's Day and Pentecost Monday", name)
	}
	// 6 and 7 January entered the Labour Code with Law 52/2023, first kept in 2024.
	if _, ok := LegalHolidays(2023)[d("06.01.2023")]; ok {
		t.Error("6 January 2023 was not yet a legal holiday")
	}
	if _, ok := LegalHolidays(2024)[d("07.01.2024")]; !ok {
		t.Error("7 January 2024 is a legal holiday")
	}
}

func TestPetitionDeadlineOverEveryHoliday(t *testing.T) {
	// Each row registers a petition 30 days before a holiday of 2026 or 2027,
	// so that its nominal deadline falls on that holiday.
	tests := []struct{ registered, nominal, due string }{
		{"02.12.2025", "01.01.2026", "05.01.2026"},
		{"03.12.2025", "02.01.2026", "05.01.2026"},
		{"07.12.2025", "06.01.2026", "08.01.2026"},
		{"08.12.2025", "07.01.2026", "08.01.2026"},
		{"25.12.2025", "24.01.2026", "26.01.2026"},
		{"11.03.2026", "10.04.2026", "14.04.2026"}, // Good Friday
		{"13.03.2026", "12.04.2026", "14.04.2026"}, // Easter
		{"14.03.2026", "13.04.2026", "14.04.2026"}, // Easter Monday
		{"01.04.2026", "01.05.2026", "04.05.2026"},
		{"01.05.2026", "31.05.2026", "02.06.2026"}, // Pentecost
		{"02.05.2026", "01.06.2026", "02.06.2026"}, // Children's Day and Pentecost Monday
		{"16.07.2026", "15.08.2026", "17.08.2026"},
		{"31.10.2026", "30.11.2026", "02.12.2026"},
		{"01.11.2026", "01.12.2026", "02.12.2026"},
		{"25.11.2026", "25.12.2026", "28.12.2026"},
		{"26.11.2026", "26.12.2026", "28.12.2026"},
		{"02.12.2026", "01.01.2027", "04.01.2027"},
		{"03.12.2026", "02.01.2027", "04.01.2027"},
		{"07.12.2026", "06.01.2027", "08.01.2027"},
		{"08.12.2026", "07.01.2027", "08.01.2027"},
		{"25.12.2026", "24.01.2027", "25.01.2027"},
		{"31.03.2027", "30.04.2027", "04.05.2027"}, // Good Friday
		{"01.04.2027", "01.05.2027", "04.05.2027"},
		{"02.04.2027", "02.05.2027", "04.05.2027"}, // Easter
		{"03.04.2027", "03.05.2027", "04.05.2027"}, // Easter Monday
		{"02.05.2027", "01.06.2027", "02.06.2027"},
		{"21.05.2027", "20.06.2027", "22.06.2027"}, // Pentecost
		{"22.05.2027", "21.06.2027", "22.06.2027"}, // Pentecost Monday
		{"16.07.2027", "15.08.2027", "16.08.2027"},
		{"31.10.2027", "30.11.2027", "02.12.2027"},
		{"01.11.2027", "01.12.2027", "02.12.2027"},
		{"25.11.2027", "25.12.2027", "27.12.2027"},
		{"26.11.2027", "26.12.2027", "27.12.2027"},
	}
	c := New(nil)
	for _, tt := range tests {
		dl := c.Compute(Request{Category: Petition, Registered: d(tt.registered).At(10, 0)}, DefaultRules)
		if dl.Nominal.String() != tt.nominal || dl.Due.String() != tt.due {
			t.Errorf("petition of %s: nominal %s due %s, want %s → %s", tt.registered, dl.Nominal, dl.Due, tt.nominal, tt.due)
		}
	}
}

func TestDeadlineRules(t *testing.T) {
	offNov27 := New(map[Date]string{d("27.11.2026"): "zi liberă HG"})
	tests := []struct {
		name   string
		cal    *Calendar
		req    Request
		rules  Rules
		want   string
		expl   string // part of the Romanian explanation
		explEn string // part of the English explanation
	}{
		{name: "petition over Christmas", req: Request{Category: Petition, Registered: d("25.11.2026").At(9, 15)},
			want: "28.12.2026", expl: "30 de zile, OG 27/2002 art. 8; 25.12 și 26.12 sărbători legale, 27.12 duminică → 28.12.2026",
			explEn: "30 days, OG 27/2002 art. 8; 25.12 and 26.12 public holidays, 27.12 sunday → 28.12.2026"},
		{name: "registered just before midnight local counts that day", req: Request{Category: Petition, Registered: time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC)},
			want: "28.12.2026"}, // 00:30 on 25.11 in Bucharest
		{name: "public information 10 days", req: Request{Category: PublicInfo, Registered: d("16.11.2026").At(11, 0)},
			want: "26.11.2026", expl: "10 zile, Legea 544/2001 art. 7(1) → 26.11.2026"},
		{name: "public information over St Andrew and National Day", req: Request{Category: PublicInfo, Registered: d("20.11.2026").At(11, 0)},
			want: "02.12.2026", expl: "30.11 și 01.12 sărbători legale"},
		{name: "press 24 hours from a Friday", req: Request{Category: Press, Registered: d("04.12.2026").At(14, 30)},
			want: "07.12.2026 14:30", expl: "24 de ore", explEn: "05.12 saturday, 06.12 sunday"},
		{name: "press 24 hours on a weekday", req: Request{Category: Press, Registered: d("24.11.2026").At(9, 5)},
			want: "25.11.2026 09:05"},
		{name: "press configured to 48 hours", req: Request{Category: Press, Registered: d("24.11.2026").At(9, 5)},
			rules: Rules{PressHours: 48, DefaultDays: 30}, want: "26.11.2026 09:05"},
		{name: "institution default", req: Request{Category: Institution, Registered: d("02.11.2026").At(9, 0)},
			want: "02.12.2026", expl: "30 de zile, termenul implicit, configurabil (CABINET_DEFAULT_DEADLINE_DAYS) → 02.12.2026"},
		{name: "institution configured default", req: Request{Category: Internal, Registered: d("02.11.2026").At(9, 0)},
			rules: Rules{PressHours: 24, DefaultDays: 15}, want: "17.11.2026"},
		{name: "explicit deadline from a ministry", req: Request{Category: Institution, Registered: d("02.11.2026").At(9, 0), Explicit: d("10.11.2026")},
			want: "10.11.2026", expl: "termenul dat în adresă"},
		{name: "explicit deadline on a Sunday is kept, with the working day before", req: Request{Category: Institution, Registered: d("02.11.2026").At(9, 0), Explicit: d("15.11.2026")},
			want: "15.11.2026", expl: "cade într-o zi nelucrătoare: răspundeți până pe 13.11.2026"},
		{name: "petition extended by 15 days", req: Request{Category: Petition, Registered: d("02.11.2026").At(9, 0), ExtraDays: 15},
			want: "17.12.2026", expl: "prelungit cu 15 zile"},
		{name: "admin day off", cal: offNov27, req: Request{Category: PublicInfo, Registered: d("17.11.2026").At(9, 0)},
			want: "02.12.2026", expl: "27.11 zi liberă"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cal
			if c == nil {
				c = New(nil)
			}
			rules := tt.rules
			if rules == (Rules{}) {
				rules = DefaultRules
			}
			dl := c.Compute(tt.req, rules)
			if dl.String() != tt.want {
				t.Errorf("deadline %s, want %s (%s)", dl, tt.want, dl.Explain(false))
			}
			if !strings.Contains(dl.Explain(false), tt.expl) {
				t.Errorf("explanation %q lacks %q", dl.Explain(false), tt.expl)
			}
			if !strings.Contains(dl.Explain(true), tt.explEn) {
				t.Errorf("English explanation %q lacks %q", dl.Explain(true), tt.explEn)
			}
		})
	}
}

func TestWorkingDays(t *testing.T) {
	c := New(nil)
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"25.11.2026", 3, "02.12.2026"},  // Thu, Fri, (Sat, Sun, 30.11, 01.12 off) Wed
		{"28.11.2026", 1, "02.12.2026"},  // from a Saturday
		{"02.12.2026", -1, "27.11.2026"}, // backwards over the holidays and the weekend
		{"24.12.2026", 1, "28.12.2026"},
	}
	for _, tt := range tests {
		if got := c.AddWorkingDays(d(tt.from), tt.n); got.String() != tt.want {
			t.Errorf("%s %+d working days = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if c.IsWorkingDay(d("01.12.2026")) || c.IsWorkingDay(d("28.11.2026")) || !c.IsWorkingDay(d("25.11.2026")) {
		t.Error("IsWorkingDay is wrong around 1 December")
	}
}

func TestParseDay(t *testing.T) {
	today := d("25.11.2026") // a Wednesday
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{"25.11.2026", "25.11.2026", nil},
		{"5.1.2027", "05.01.2027", nil},
		{"25.11", "25.11.2026", nil},
		{"1.12.", "01.12.2026", nil},
		{"25.11.26", "25.11.2026", nil},
		{"2026-12-28", "28.12.2026", nil},
		{"azi", "25.11.2026", nil},
		{"astăzi", "25.11.2026", nil},
		{"today", "25.11.2026", nil},
		{"mâine", "26.11.2026", nil},
		{"Maine", "26.11.2026", nil},
		{"tomorrow", "26.11.2026", nil},
		{"poimâine", "27.11.2026", nil},
		{"ieri", "24.11.2026", nil},
		{"luni", "30.11.2026", nil},
		{"miercuri", "25.11.2026", nil},
		{"sâmbătă", "28.11.2026", nil},
		{"sambata", "28.11.2026", nil},
		{"friday", "27.11.2026", nil},
		{"31.02.2026", "", ErrImpossibleDate},
		{"29.02.2026", "", ErrImpossibleDate},
		{"29.02.2028", "29.02.2028", nil},
		{"13.13.2026", "", ErrImpossibleDate},
		{"00.10.2026", "", ErrImpossibleDate},
		{"cândva", "", ErrNotADate},
		{"12/2026", "", ErrNotADate},
		{"1.2.3.4", "", ErrNotADate},
		{"", "", ErrNotADate},
	}
	for _, tt := range tests {
		got, err := ParseDay(tt.in, today)
		if !errors.Is(err, tt.err) || got.String() != tt.want {
			t.Errorf("ParseDay(%q) = %s, %v; want %s, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseClock(t *testing.T) {
	for in, want := range map[string][2]int{"9:30": {9, 30}, "09:05": {9, 5}, "14": {14, 0}, "7.45": {7, 45}} {
		h, m, ok := ParseClock(in)
		if !ok || h != want[0] || m != want[1] {
			t.Errorf("ParseClock(%q) = %d:%d %v", in, h, m, ok)
		}
	}
	for _, in := range []string{"24:00", "9:60", "x", ""} {
		if _, _, ok := ParseClock(in); ok {
			t.Errorf("ParseClock(%q) accepted", in)
		}
	}
}
