package text

import (
	"errors"
	"reflect"
	"testing"
)

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Direcția Tehnică":    "directia tehnica",
		"DIRECŢIA TEHNICĂ":    "directia tehnica", // cedilla forms
		"Învățământ Școli":    "invatamant scoli",
		"Şcoală ţară":         "scoala tara",
		"s\u0326i t\u0326ara": "si tara", // decomposed comma below
		"plain ascii":         "plain ascii",
		"ÂĂÎȘȚ":               "aaist",
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []Token
		err  error
	}{
		{`inregistreaza de="Ion Popescu" tip=cetatean`, []Token{{"", "inregistreaza"}, {"de", "Ion Popescu"}, {"tip", "cetatean"}}, nil},
		{`subiect=„Groapă pe str. Horea”`, []Token{{"subiect", "Groapă pe str. Horea"}}, nil},
		{`Subiect=“a b”  x`, []Token{{"subiect", "a b"}, {"", "x"}}, nil},
		{`"quoted word" 12/2026`, []Token{{"", "quoted word"}, {"", "12/2026"}}, nil},
		{`de=""`, []Token{{"de", ""}}, nil},
		{`Categorie=Petiție`, []Token{{"categorie", "Petiție"}}, nil},
		{`termen=25.11.2026 x=a=b`, []Token{{"termen", "25.11.2026"}, {"x", "a=b"}}, nil},
		{`de="Ion Popescu`, nil, ErrUnbalancedQuote},
		// Romanian quotes inside a straight-quoted value: " closes only at ".
		{`de="Şcoala Gimnazială „Ion Creangă”" tip=institutie`, []Token{{"de", "Şcoala Gimnazială „Ion Creangă”"}, {"tip", "institutie"}}, nil},
		{`subiect=„Cererea "X"”`, []Token{{"subiect", `Cererea "X"`}}, nil},
		{`de="a”`, nil, ErrUnbalancedQuote},
		{``, nil, nil},
	}
	for _, tt := range tests {
		got, err := Tokenize(tt.in)
		if !errors.Is(err, tt.err) || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokenize(%q) = %#v, %v; want %#v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestDistanceAndTruncate(t *testing.T) {
	if Distance("popscu", "popescu") != 1 || Distance("ș", "s") != 1 {
		t.Error("Distance")
	}
	if got := Truncate("Groapă pe strada Horea", 10); got != "Groapă pe…" {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("scurt", 10); got != "scurt" {
		t.Errorf("Truncate = %q", got)
	}
}
