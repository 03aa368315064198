package commands

import (
	"sort"

	"github.com/cluj-napoca/cabinetbot/commands/calendar"
)

// Choice is one value of a closed vocabulary, for the forms a platform can
// show (a Slack modal's drop-down): Value is what a typed command takes.
type Choice struct {
	Value string
	Ro    string
	En    string
}

// Vocabularies a form can offer as a list, by the key of the command that
// takes them.
const (
	VocabSenderType = "tip"       // inregistreaza tip=
	VocabCategory   = "categorie" // inregistreaza categorie=
	VocabChannel    = "canal"     // inregistreaza canal=
)

// Choices lists the values of a closed vocabulary (VocabSenderType,
// VocabCategory, VocabChannel) in a stable order, with their display names;
// nil for an unknown vocabulary.
func Choices(vocab string) []Choice {
	var out []Choice
	switch vocab {
	case VocabCategory:
		for _, c := range calendar.Categories {
			ro, en := c.Names()
			out = append(out, Choice{Value: string(c), Ro: ro, En: en})
		}
		return out
	case VocabSenderType:
		out = fromNames(senderTypeNames)
	case VocabChannel:
		out = fromNames(channelNames)
	default:
		return nil
	}
	return out
}

func fromNames(names map[string][2]string) []Choice {
	out := make([]Choice, 0, len(names))
	for v, n := range names {
		out = append(out, Choice{Value: v, Ro: n[0], En: n[1]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}
