package site_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The page's shell strings (web/static) in Simplified Chinese (README "Languages"):
// i18n.js's ZH table is read as written, and every UI string of the HTML and the scripts
// must be one of its keys, with a translation that keeps the key's {placeholders}.

const static = "../static"

// jsString is a string literal of a script: its value and where it starts.
type jsString struct {
	value string
	pos   int
	quote byte
}

// jsStrings lists a script's string literals, skipping comments and regular expressions
// well enough for the page's own scripts (a template literal's ${...} is kept as text).
func jsStrings(src string) []jsString {
	var out []jsString
	prev := byte('(') // the last significant character, to tell a regexp from a division
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			i += end + 3
			continue
		case c == '/' && strings.IndexByte("(,=:[!&|?{};", prev) >= 0:
			for i++; i < len(src) && src[i] != '/'; i++ {
				if src[i] == '\\' {
					i++
				} else if src[i] == '[' {
					for i < len(src) && src[i] != ']' {
						i++
					}
				}
			}
			prev = '/'
			continue
		case c == '"' || c == '\'' || c == '`':
			start := i
			var b strings.Builder
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' && i+1 < len(src) {
					i++
					switch src[i] {
					case 'n':
						b.WriteByte('\n')
					default:
						b.WriteByte(src[i])
					}
					continue
				}
				b.WriteByte(src[i])
			}
			out = append(out, jsString{value: b.String(), pos: start, quote: c})
			prev = 'a'
			continue
		}
		if !unicode.IsSpace(rune(c)) {
			prev = c
		}
	}
	return out
}

// zhTable reads i18n.js's ZH = { "English": "中文", ... }.
func zhTable(t *testing.T) (map[string]string, []string) {
	data, err := os.ReadFile(filepath.Join(static, "i18n.js"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	start := strings.Index(src, "const ZH = {")
	end := strings.Index(src[start:], "\n  };")
	if start < 0 || end < 0 {
		t.Fatal("i18n.js: no `const ZH = { ... };` table")
	}
	lits := jsStrings(src[start : start+end])
	if len(lits)%2 != 0 {
		t.Fatalf("i18n.js: the ZH table has %d strings, not key/value pairs", len(lits))
	}
	table := map[string]string{}
	var keys []string
	for i := 0; i < len(lits); i += 2 {
		k, v := lits[i].value, lits[i+1].value
		if _, dup := table[k]; dup {
			t.Errorf("i18n.js: %q is in the table twice", k)
		}
		table[k] = v
		keys = append(keys, k)
	}
	return table, keys
}

var placeholderRE = regexp.MustCompile(`\{\w+\}`)

func placeholders(s string) string {
	set := map[string]bool{}
	for _, p := range placeholderRE.FindAllString(s, -1) {
		set[p] = true
	}
	var p []string
	for k := range set {
		p = append(p, k)
	}
	sort.Strings(p)
	return strings.Join(p, " ")
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// htmlTexts returns an HTML file's text nodes and its title, aria-label, placeholder and
// label attributes, whitespace folded, as i18n.js's translate() sees them (kbd, code, pre,
// option, script and style left out).
func htmlTexts(src string) []string {
	var out []string
	add := func(s string) {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			out = append(out, s)
		}
	}
	tagRE := regexp.MustCompile(`(?s)<(/?)([!a-zA-Z0-9]+)([^>]*)>`)
	attrRE := regexp.MustCompile(`(title|aria-label|placeholder|label)="([^"]*)"`)
	skip := map[string]bool{"kbd": true, "code": true, "pre": true, "option": true, "script": true, "style": true, "noscript": true}
	depth := 0
	last := 0
	for _, m := range tagRE.FindAllStringSubmatchIndex(src, -1) {
		if depth == 0 {
			add(src[last:m[0]])
		}
		last = m[1]
		closing, name, attrs := src[m[2]:m[3]] == "/", strings.ToLower(src[m[4]:m[5]]), src[m[6]:m[7]]
		for _, a := range attrRE.FindAllStringSubmatch(attrs, -1) {
			add(a[2])
		}
		if skip[name] {
			if closing {
				depth--
			} else {
				depth++
			}
		}
	}
	add(src[last:])
	return out
}

// notUI are the shell's texts that are the same in every language: names, formats and
// what kubectl itself prints or reads.
var notUI = map[string]bool{
	"kubesim": true, "YAML": true, "A": true, "B": true, "$": true,
	"t = 0.0 s": true, "0.0 / 90 s": true, "kubectl get pods": true,
	"English": true, // the switch names each language in itself
}

// jsNotUI are string literals of the scripts that look like words but are not shown as
// UI text: identifiers, selectors, key names, Kubernetes kinds.
var jsNotUI = regexp.MustCompile(`^(kubectl |fail |recover |#   |nav \[|button, |option\[|\.|use strict$|verdict (right|wrong)$|[a-z]+[A-Z]\w*$|` +
	`(Pod|Node|Deployment|StatefulSet|Enter|Escape|Home|ArrowUp|ArrowDown|ArrowLeft|ArrowRight|PageUp|PageDown|Object|Go)$)`)

func TestShellStringsAreTranslated(t *testing.T) {
	table, keys := zhTable(t)
	used := map[string]bool{}
	for _, k := range keys {
		v := table[k]
		switch {
		case v == "" || v == k:
			t.Errorf("i18n.js: %q has no Chinese", k)
		case placeholders(k) != placeholders(v):
			t.Errorf("i18n.js: %q and its Chinese %q have different placeholders", k, v)
		}
	}
	htmls, _ := filepath.Glob(filepath.Join(static, "*.html"))
	for _, f := range htmls {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range htmlTexts(string(data)) {
			used[s] = true
			if _, ok := table[s]; !ok && !notUI[s] && !hasHan(s) && strings.ContainsFunc(s, unicode.IsLetter) {
				t.Errorf("%s: %q is not in i18n.js's table", filepath.Base(f), s)
			}
		}
		if !strings.Contains(string(data), `<script src="i18n.js">`) && !strings.Contains(string(data), "embed.js") {
			t.Errorf("%s does not load i18n.js", filepath.Base(f))
		}
	}
	scripts, _ := filepath.Glob(filepath.Join(static, "*.js"))
	for _, f := range scripts {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		if filepath.Base(f) == "i18n.js" { // its table is the source, not a use
			src = src[strings.Index(src, "\n  const q = "):]
		}
		line := func(pos int) int { return strings.Count(src[:pos], "\n") + 1 }
		for _, s := range jsStrings(src) {
			before := strings.TrimRight(src[:s.pos], " ")
			if translatorCall.MatchString(before) {
				used[s.value] = true
				if _, ok := table[s.value]; !ok {
					t.Errorf("%s:%d: t(%q) is not in i18n.js's table", filepath.Base(f), line(s.pos), s.value)
				}
				continue
			}
			v := s.value
			looksUI := regexp.MustCompile(`[A-Za-z]{2,}[,:;.?!…]* +[A-Za-z]{2,}`).MatchString(v) || regexp.MustCompile(`^[A-Z][a-z]+[.!?…:]?$`).MatchString(v)
			if looksUI && !jsNotUI.MatchString(v) && !notUI[v] && !hasHan(v) {
				t.Errorf("%s:%d: %s is not translated: wrap it in t() and add it to i18n.js's table",
					filepath.Base(f), line(s.pos), strconv.Quote(v))
			}
		}
	}
	for _, k := range keys {
		if !used[k] {
			t.Errorf("i18n.js: %q is in the table but no page uses it", k)
		}
	}
}

// translatorCall ends the text before a string literal that is t()'s or tr()'s first
// argument (the scripts import I18N.t as tr, the canvas page too).
var translatorCall = regexp.MustCompile(`(^|[^\w.])(tr|t|I18N\.t)\($`)
