package tgfake

import "testing"

// The fake must refuse what Telegram refuses, or the adapter's escaping is
// not tested at all.
func TestParseHTMLRefusesWhatTelegramRefuses(t *testing.T) {
	for _, bad := range []string{"a < b", "a > b", "Pop & fiii", "<script>x</script>", "<b>x", "<b><i>x</b></i>", "&nbsp;", "<a>x</a>"} {
		if _, err := ParseHTML(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for in, want := range map[string]string{
		"<b>Ș</b> &lt;i&gt; &amp; &quot;x&quot; &#39;y&#39; &#x21;": `Ș <i> & "x" 'y' !`,
		`<a href="tg://user?id=1">Ana</a>, <code>4521</code>`:       "Ana, 4521",
	} {
		if got, err := ParseHTML(in); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
}
