package tgfake

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// The tags Telegram's HTML parse mode knows.
var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true, "strike": true, "del": true,
	"a": true, "code": true, "pre": true, "tg-spoiler": true, "span": true, "blockquote": true, "tg-emoji": true,
}

// ParseHTML checks text the way Telegram parses parse_mode=HTML and returns
// what the reader sees: every <, > and & that is not part of a known tag or
// entity is an error, tags must nest, and only &lt; &gt; &amp; &quot; and
// numeric entities exist.
func ParseHTML(s string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+end]
			closing := strings.HasPrefix(tag, "/")
			name := strings.TrimPrefix(tag, "/")
			if sp := strings.IndexAny(name, " \t\n"); sp >= 0 {
				if closing {
					return "", fmt.Errorf("bad end tag %q", tag)
				}
				name = name[:sp]
			}
			if !allowedTags[name] {
				return "", fmt.Errorf("unsupported start tag %q at byte offset %d", name, i)
			}
			if closing {
				if len(open) == 0 || open[len(open)-1] != name {
					return "", fmt.Errorf("unmatched end tag %q at byte offset %d", name, i)
				}
				open = open[:len(open)-1]
			} else {
				if name == "a" && !strings.Contains(tag, "href=") {
					return "", errors.New("a tag without href")
				}
				open = append(open, name)
			}
			i += end + 1
		case '>':
			return "", fmt.Errorf("unexpected > at byte offset %d", i)
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 || end > 10 {
				return "", fmt.Errorf("can't find end of the entity starting at byte offset %d", i)
			}
			ent := s[i+1 : i+end]
			switch {
			case ent == "lt":
				out.WriteByte('<')
			case ent == "gt":
				out.WriteByte('>')
			case ent == "amp":
				out.WriteByte('&')
			case ent == "quot":
				out.WriteByte('"')
			case strings.HasPrefix(ent, "#x"):
				n, err := strconv.ParseInt(ent[2:], 16, 32)
				if err != nil {
					return "", fmt.Errorf("bad entity &%s;", ent)
				}
				out.WriteRune(rune(n))
			case strings.HasPrefix(ent, "#"):
				n, err := strconv.Atoi(ent[1:])
				if err != nil {
					return "", fmt.Errorf("bad entity &%s;", ent)
				}
				out.WriteRune(rune(n))
			default:
				return "", fmt.Errorf("unsupported entity &%s;", ent)
			}
			i += end + 1
		default:
			out.WriteByte(c)
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag %q", open[len(open)-1])
	}
	return out.String(), nil
}

// utf16Len is the length Telegram counts.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
