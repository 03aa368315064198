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

func TestCSVCellNeutralisesFormulasAndRoundTrips(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\",\"y\")": "'=HYPERLINK(\"http://x\",\"y\")",
		"=1+2":                           "'=1+2",
		"+40 264 596 030":                "'+40 264 596 030",
		"-5":                             "'-5",
		"@SUM(A1)":                       "'@SUM(A1)",
		"\t=1":                           " =1",
		"'=1":                            "''=1",
		"'ok":                            "'ok",
		"Ion Popescu":                    "Ion Popescu",
		"a\x1b[31mb\x00":                 "a[31mb",
		"":                               "",
	} {
		got := CSVCell(in)
		if got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
		if back := FromCSVCell(got); back != Printable(in, true) {
			t.Errorf("FromCSVCell(%q) = %q, want %q", got, back, Printable(in, true))
		}
	}
}

func TestControlCharacters(t *testing.T) {
	for _, tc := range []struct {
		s     string
		multi bool
		bad   bool
	}{
		{"Ion Popescu", false, false}, {"Șoseaua Turzii", false, false},
		{"a\x00b", false, true}, {"a\x1b[2Jb", true, true}, {"a\tb", false, true}, {"a\u0085b", false, true},
		{"a\u202eb", false, true}, {"a\x7fb", false, true},
		{"rând 1\nrând 2", false, true}, {"rând 1\nrând 2", true, false}, {"rând 1\r\nrând 2", true, false}, {"a\rb", true, true},
	} {
		if _, bad := BadControl(tc.s, tc.multi); bad != tc.bad {
			t.Errorf("BadControl(%q, %v) = %v", tc.s, tc.multi, bad)
		}
		if _, bad := BadControl(Printable(tc.s, tc.multi), tc.multi); bad {
			t.Errorf("Printable(%q) = %q still has a control character", tc.s, Printable(tc.s, tc.multi))
		}
	}
}
