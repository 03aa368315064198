package text

import "testing"

func TestCountAgreesInRomanian(t *testing.T) {
	tests := []struct {
		n    int
		w    Noun
		want string
	}{
		{0, Zile, "0 zile"},
		{1, Zile, "1 zi"},
		{2, Zile, "2 zile"},
		{15, Zile, "15 zile"},
		{19, Zile, "19 zile"},
		{20, Zile, "20 de zile"},
		{30, Zile, "30 de zile"},
		{100, Zile, "100 de zile"},
		{101, Zile, "101 zile"},
		{119, Zile, "119 zile"},
		{120, Zile, "120 de zile"},
		{1000, Zile, "1000 de zile"},
		{1, Ore, "o oră"},
		{2, Ore, "2 ore"},
		{24, Ore, "24 de ore"},
		{1, Restante, "1 restanță"},
		{3, Restante, "3 restanțe"},
		{21, Restante, "21 de restanțe"},
		{1, Deschise, "1 deschisă"},
		{1, Mesaje, "1 mesaj trimis"},
		{25, Mesaje, "25 de mesaje trimise"},
		{1, Sarbatori, "1 sărbătoare legală"},
		{2, ZileLibere, "2 zile libere"},
	}
	for _, tt := range tests {
		if got := Count(tt.n, tt.w); got != tt.want {
			t.Errorf("Count(%d, %s) = %q, want %q", tt.n, tt.w.Many, got, tt.want)
		}
	}
}

func TestCountEn(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{1, "1 day"}, {0, "0 days"}, {2, "2 days"}, {20, "20 days"}} {
		if got := CountEn(tt.n, "day", "days"); got != tt.want {
			t.Errorf("CountEn(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
