package commands

import "github.com/cluj-napoca/cabinetbot/commands/calendar"

// The closed vocabularies of the register: every accepted spelling (folded:
// no diacritics, lower case) → the canonical Romanian word kept in storage.

var categoryWords = map[string]string{
	"petitie": "petitie", "petition": "petitie",
	"informatii": "informatii", "informatii-publice": "informatii", "public-info": "informatii", "info": "informatii", "544": "informatii",
	"presa": "presa", "press": "presa",
	"institutie": "institutie", "institution": "institutie",
	"interna": "interna", "internal": "interna", "nota": "interna",
	"alta": "alta", "other": "alta", "altele": "alta",
}

var senderTypeWords = map[string]string{
	"cetatean": "cetatean", "citizen": "cetatean",
	"presedintie": "presedintie", "presidency": "presedintie",
	"guvern": "guvern", "government": "guvern",
	"minister": "minister", "ministry": "minister",
	"prefect": "prefect", "prefectura": "prefect",
	"institutie": "institutie", "institution": "institutie",
	"consilier": "consilier", "councillor": "consilier", "councilor": "consilier",
	"firma": "firma", "company": "firma",
	"ong": "ong", "ngo": "ong",
	"presa": "presa", "press": "presa",
	"anonim": "anonim", "anonymous": "anonim",
}

var channelWords = map[string]string{
	"posta": "posta", "post": "posta", "mail": "posta",
	"email": "email", "e-mail": "email",
	"ghiseu": "ghiseu", "counter": "ghiseu",
	"online": "online", "formular": "online", "form": "online",
	"fax": "fax",
}

// defaultCategory is the category assumed from the sender type when none is
// given: citizens write petitions, institutions write letters, the press asks
// as the press.
func defaultCategory(senderType string) calendar.Category {
	switch senderType {
	case "presa":
		return calendar.Press
	case "presedintie", "guvern", "minister", "prefect", "institutie":
		return calendar.Institution
	default:
		return calendar.Petition
	}
}

// Display names of the vocabularies, Romanian and English.
var (
	senderTypeNames = map[string][2]string{
		"cetatean": {"cetățean", "citizen"}, "presedintie": {"Președinție", "Presidency"},
		"guvern": {"Guvern", "Government"}, "minister": {"minister", "ministry"},
		"prefect": {"Prefect", "Prefect"}, "institutie": {"instituție publică", "public institution"},
		"consilier": {"consilier local", "local councillor"}, "firma": {"firmă", "company"},
		"ong": {"ONG", "NGO"}, "presa": {"presă", "press"}, "anonim": {"anonim", "anonymous"},
	}
	channelNames = map[string][2]string{
		"posta": {"poștă", "post"}, "email": {"e-mail", "e-mail"}, "ghiseu": {"ghișeu", "counter"},
		"online": {"formular online", "online form"}, "fax": {"fax", "fax"},
	}
	statusNames = map[string][2]string{
		"inregistrata": {"înregistrată", "registered"}, "repartizata": {"repartizată", "assigned"},
		"rezolvata": {"rezolvată", "resolved"}, "clasata": {"clasată", "filed"},
		"redirectionata": {"redirecționată", "forwarded"}, "conexata": {"conexată", "joined"},
		"refuzata": {"refuzată", "refused"},
	}
)

// name picks the display name of a vocabulary word.
func (l Lang) name(names map[string][2]string, word string) string {
	n, ok := names[word]
	if !ok {
		return word
	}
	if l == English {
		return n[1]
	}
	return n[0]
}

func (l Lang) category(word string) string {
	ro, en := calendar.Category(word).Names()
	return l.pick(ro, en)
}
