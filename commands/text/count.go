package text

import "strconv"

// Noun is a Romanian noun as counts need it: the singular, the plural, and
// the article that replaces the number 1 when it reads better ("o oră",
// "un mesaj"); empty Article keeps the digit ("1 zi").
type Noun struct {
	One, Many, Article string
}

// Nouns counted in the bot's answers.
var (
	Zile            = Noun{One: "zi", Many: "zile"}
	ZileLucr        = Noun{One: "zi lucrătoare", Many: "zile lucrătoare"}
	Ore             = Noun{One: "oră", Many: "ore", Article: "o"}
	Restante        = Noun{One: "restanță", Many: "restanțe"}
	Deschise        = Noun{One: "deschisă", Many: "deschise"}
	Inregistrate    = Noun{One: "înregistrată", Many: "înregistrate"}
	Rezolvate       = Noun{One: "rezolvată", Many: "rezolvate"}
	IntervaleLibere = Noun{One: "interval liber", Many: "intervale libere"}
	Mesaje          = Noun{One: "mesaj trimis", Many: "mesaje trimise"}
	MesajeLaTrimis  = Noun{One: "mesaj pus la trimis", Many: "mesaje puse la trimis"}
	Inregistr       = Noun{One: "înregistrare", Many: "înregistrări"}
	Petitii         = Noun{One: "petiție", Many: "petiții"}
	Sarbatori       = Noun{One: "sărbătoare legală", Many: "sărbători legale"}
	ZileLibere      = Noun{One: "zi liberă", Many: "zile libere"}
	Intrari         = Noun{One: "intrare", Many: "intrări"}
	Departam        = Noun{One: "departament", Many: "departamente"}
	Randuri         = Noun{One: "rând", Many: "rânduri"}
	RanduriGresite  = Noun{One: "rând greșit", Many: "rânduri greșite"}
)

// Count writes n with the noun the way Romanian agrees them: "1 zi",
// "2 zile", "19 zile", "20 de zile", "101 zile", "120 de zile"; "o oră"
// when the noun has an article for one. From 20 on, a number whose last two
// digits are 00 or 20–99 takes "de" (GOLR).
func Count(n int, w Noun) string {
	if n == 1 && w.Article != "" {
		return w.Article + " " + w.One
	}
	return strconv.Itoa(n) + " " + Agree(n, w)
}

// Agree returns the noun as it follows the number n: "zi", "zile" or
// "de zile"; for numbers written another way (1.234).
func Agree(n int, w Noun) string {
	switch {
	case n == 1 || n == -1:
		return w.One
	case TakesDe(n):
		return "de " + w.Many
	default:
		return w.Many
	}
}

// TakesDe reports whether a count of n takes "de" before its noun: from 20
// on, when its last two digits are 00 or 20–99.
func TakesDe(n int) bool {
	if n < 0 {
		n = -n
	}
	r := n % 100
	return n >= 20 && (r == 0 || r >= 20)
}

// CountEn writes n with an English noun: "1 day", "2 days".
func CountEn(n int, one, many string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}
