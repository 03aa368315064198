package commands

import "testing"

// Every value a form offers must be accepted when typed, and mean itself.
func TestChoicesAreAcceptedWords(t *testing.T) {
	for vocab, words := range map[string]map[string]string{
		VocabSenderType: senderTypeWords, VocabCategory: categoryWords, VocabChannel: channelWords,
	} {
		list := Choices(vocab)
		if len(list) == 0 {
			t.Fatalf("%s: no choices", vocab)
		}
		for _, c := range list {
			if got, ok := choice(words, c.Value); !ok || got != c.Value {
				t.Errorf("%s: %q is offered but typed it means %q (%v)", vocab, c.Value, got, ok)
			}
			if c.Ro == "" || c.En == "" {
				t.Errorf("%s: %q has no display name", vocab, c.Value)
			}
		}
	}
	if Choices("nimic") != nil {
		t.Error("an unknown vocabulary has no choices")
	}
}
