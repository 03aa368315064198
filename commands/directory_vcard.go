package commands

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cluj-napoca/cabinetbot/commands/text"
	"github.com/cluj-napoca/cabinetbot/storage"
	"github.com/emersion/go-vcard"
)

// institution is the organisation every exported contact belongs to.
const institution = "Primăria Municipiului Cluj-Napoca"

// directoryVCard writes entries and departments' own numbers as vCard 3.0
// cards: the version every phone's contacts app imports (4.0 is not read
// everywhere). github.com/emersion/go-vcard writes the cards and escapes the
// values.
func directoryVCard(entries []*storage.Entry, depts []*storage.Department, all map[string]*storage.Department) ([]byte, error) {
	var b bytes.Buffer
	enc := vcard.NewEncoder(&b)
	for _, e := range entries {
		card := vcard.Card{}
		card.SetValue(vcard.FieldVersion, "3.0")
		card.SetValue(vcard.FieldUID, "cabinetbot-agenda-"+e.ID)
		fn := vcText(e.Name)
		if fn == "" {
			fn = vcText(e.Function)
			if d := all[e.Dept]; d != nil {
				fn += " — " + vcText(d.Name)
			}
		}
		card.SetValue(vcard.FieldFormattedName, fn)
		card.SetName(personName(e.Name, fn))
		org := []string{institution}
		if d := all[e.Dept]; d != nil {
			org = append(org, vcText(d.Name))
		}
		card.SetValue(vcard.FieldOrganization, strings.Join(org, ";"))
		if e.Name != "" && e.Function != "" {
			card.SetValue(vcard.FieldTitle, vcText(e.Function))
		}
		addTel(card, e.Phone, "work", "voice")
		addTel(card, e.Mobile, "cell", "voice")
		if e.Email != "" {
			card.Add(vcard.FieldEmail, &vcard.Field{Value: e.Email, Params: vcard.Params{vcard.ParamType: {"internet", "work"}}})
		}
		var note []string
		if e.Extension != "" {
			note = append(note, "Interior "+e.Extension)
		}
		if e.Office != "" {
			note = append(note, "Birou "+vcText(e.Office))
		}
		if e.Notes != "" {
			note = append(note, vcText(e.Notes))
		}
		if len(note) > 0 {
			card.SetValue(vcard.FieldNote, strings.Join(note, " · "))
		}
		if err := enc.Encode(card); err != nil {
			return nil, fmt.Errorf("write vCard of entry %s: %w", e.ID, err)
		}
	}
	for _, d := range depts {
		if d.Phone == "" && d.Email == "" {
			continue
		}
		card := vcard.Card{}
		card.SetValue(vcard.FieldVersion, "3.0")
		card.SetValue(vcard.FieldUID, "cabinetbot-departament-"+d.Code)
		card.SetValue(vcard.FieldFormattedName, vcText(d.Name))
		card.SetName(&vcard.Name{FamilyName: vcText(d.Name)})
		card.SetValue(vcard.FieldOrganization, institution+";"+vcText(d.Name))
		card.SetValue("X-ABSHOWAS", "COMPANY") // Apple's contacts show it as an organisation
		addTel(card, d.Phone, "work", "voice")
		if d.Email != "" {
			card.Add(vcard.FieldEmail, &vcard.Field{Value: d.Email, Params: vcard.Params{vcard.ParamType: {"internet", "work"}}})
		}
		if d.Head != "" {
			card.SetValue(vcard.FieldNote, "Șef: "+vcText(d.Head))
		}
		if err := enc.Encode(card); err != nil {
			return nil, fmt.Errorf("write vCard of department %s: %w", d.Code, err)
		}
	}
	return b.Bytes(), nil
}

func addTel(card vcard.Card, number string, types ...string) {
	if number == "" {
		return
	}
	card.Add(vcard.FieldTelephone, &vcard.Field{Value: number, Params: vcard.Params{vcard.ParamType: types}})
}

// personName splits "Ion Popescu" into given and family names, the last word
// being the family name, as names are written in the directory.
func personName(name, fallback string) *vcard.Name {
	words := strings.Fields(vcText(name))
	if len(words) < 2 {
		return &vcard.Name{FamilyName: fallback}
	}
	return &vcard.Name{GivenName: strings.Join(words[:len(words)-1], " "), FamilyName: words[len(words)-1]}
}

// vcText keeps a value from breaking a card's structure: ";" separates the
// parts of a structured value, which the encoder does not escape, and no
// control character goes out (text.Printable), whatever was stored.
func vcText(s string) string { return strings.ReplaceAll(text.Printable(s, false), ";", ",") }
