package scenario

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
	yamlv3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"
)

// Limits on a comparison, so a pasted file or a URL stays small and cheap.
const (
	MaxComparisonBytes = 64 << 10
	MaxSets            = 20
	MaxLabel           = 80
)

// Comparison is a `kind: Comparison` file (README "Side by side"): two variants of catalogue
// scenarios, played on the same seed and time-synced by the page. A variant is a catalogue
// scenario (the comparison's, or its own) with field patches applied to its manifests.
type Comparison struct {
	File        string
	Name        string
	Title       string
	Description string
	// TitleZh and DescriptionZh: the Simplified Chinese texts for lang=zh (may be empty).
	TitleZh       string
	DescriptionZh string
	// Seed is the seed of both sides; 0 means the first variant's scenario's seed.
	Seed     uint64
	Variants [2]Variant
}

// Variant is one side of a comparison.
type Variant struct {
	Label    string
	Scenario string // catalogue file name, "rolling-update.yaml"
	Set      []Set
	// where names the variant in errors: "variants[0]" in a file, "b" for the URL.
	where string
	line  int
	// setWhere and setLine locate each Set (the same length as Set).
	setWhere []string
	setLine  []int
}

// Set is one field patch: `KIND/NAME:FIELD.PATH=VALUE`, e.g.
// `Deployment/web:spec.strategy.rollingUpdate.maxSurge=0`. VALUE is YAML (0 is a number,
// 25% a string, "0" a string).
type Set struct {
	Text  string
	Kind  string
	Name  string
	Path  string
	Value *yamlv3.Node
	segs  []segment
}

// Short is the patch as a heading: `maxSurge: 0`.
func (s Set) Short() string {
	last := s.segs[len(s.segs)-1]
	name := last.name
	if last.index >= 0 {
		name = s.Path
	}
	return name + ": " + strings.TrimSpace(nodeText(s.Value))
}

// String is the whole patch: `Deployment/web spec.strategy.rollingUpdate.maxSurge: 0`.
func (s Set) String() string {
	return s.Kind + "/" + s.Name + " " + s.Path + ": " + strings.TrimSpace(nodeText(s.Value))
}

func nodeText(n *yamlv3.Node) string {
	if n.Kind == yamlv3.ScalarNode {
		return n.Value
	}
	var b bytes.Buffer
	e := yamlv3.NewEncoder(&b)
	_ = e.Encode(n)
	_ = e.Close()
	return b.String()
}

// ParseSet reads `KIND/NAME:FIELD.PATH=VALUE`. The field path is dotted, with [N] for a list
// item and [KEY] for a map key holding dots (labels), as in kubesim's error messages.
func ParseSet(text string) (Set, error) {
	s := Set{Text: text}
	target, rest, ok := strings.Cut(text, ":")
	if !ok {
		return s, fmt.Errorf("want KIND/NAME:FIELD.PATH=VALUE, e.g. Deployment/web:spec.strategy.rollingUpdate.maxSurge=0")
	}
	kind, name, ok := strings.Cut(strings.TrimSpace(target), "/")
	if !ok || kind == "" || name == "" || strings.ContainsAny(kind+name, " /") {
		return s, fmt.Errorf("want KIND/NAME before the colon (e.g. Deployment/web), got %q", target)
	}
	path, value, ok := strings.Cut(rest, "=")
	if !ok {
		return s, fmt.Errorf("want FIELD.PATH=VALUE after the colon, got %q", rest)
	}
	s.Kind, s.Name, s.Path = kind, name, strings.TrimSpace(path)
	segs, err := parsePath(s.Path)
	if err != nil {
		return s, err
	}
	s.segs = segs
	if strings.TrimSpace(value) == "" {
		return s, fmt.Errorf("Required value: a value after %q (write \"\" for an empty string)", s.Path+"=")
	}
	var doc yamlv3.Node
	if err := yamlv3.Unmarshal([]byte(value), &doc); err != nil {
		return s, fmt.Errorf("Invalid value: %q: not YAML: %s", value, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind != yamlv3.DocumentNode || len(doc.Content) != 1 {
		return s, fmt.Errorf("Invalid value: %q: want one YAML value", value)
	}
	v := doc.Content[0]
	if hasAlias(v) {
		return s, fmt.Errorf("Invalid value: %q: aliases are not allowed in a value", value)
	}
	clearPos(v)
	s.Value = v
	return s, nil
}

func hasAlias(n *yamlv3.Node) bool {
	if n.Kind == yamlv3.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// clearPos drops a value's source position and comments, so it is written in the target
// document's style.
func clearPos(n *yamlv3.Node) {
	n.Line, n.Column = 0, 0
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		clearPos(c)
	}
}

// parsePath splits "spec.template.spec.containers[0].image" or
// "metadata.labels[app.kubernetes.io/name]" into segments.
func parsePath(p string) ([]segment, error) {
	bad := func(why string) ([]segment, error) {
		return nil, fmt.Errorf("Invalid value: %q: %s (want a field path like spec.template.spec.containers[0].image)", p, why)
	}
	if p == "" {
		return bad("empty field path")
	}
	var segs []segment
	for i := 0; i < len(p); {
		switch c := p[i]; {
		case c == '[':
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				return bad("an unclosed [")
			}
			inner := p[i+1 : i+j]
			if inner == "" {
				return bad("an empty []")
			}
			if n, err := strconv.Atoi(inner); err == nil {
				if n < 0 {
					return bad("a negative index")
				}
				segs = append(segs, segment{index: n})
			} else {
				segs = append(segs, segment{name: inner, index: -1, key: true})
			}
			i += j + 1
		case c == '.':
			if i == 0 || i+1 >= len(p) || p[i+1] == '.' || p[i+1] == '[' {
				return bad("an empty field name")
			}
			i++
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				if p[j] == ']' || p[j] == ' ' {
					return bad(fmt.Sprintf("%q in a field name", p[j]))
				}
				j++
			}
			if i > 0 && p[i-1] == ']' {
				return bad("a field name right after ] (want ].name)")
			}
			segs = append(segs, segment{name: p[i:j], index: -1})
			i = j
		}
	}
	if segs[0].index >= 0 || segs[0].key {
		return bad("it starts with an index")
	}
	if segs[0].name == "kind" || segs[0].name == "apiVersion" {
		return bad("a variant cannot change what an object is; compare two scenarios instead")
	}
	return segs, nil
}

// ApplySets returns the scenario text with the patches applied to its manifests, each found
// by kind and metadata.name. The documents it does not touch keep their text as written.
func ApplySets(text string, sets []Set) (string, error) {
	docs := splitDocuments(text)
	nodes := make([]*yamlv3.Node, len(docs))
	for _, s := range sets {
		i, err := findDoc(docs, nodes, s)
		if err != nil {
			return "", err
		}
		if err := setPath(nodes[i], s.segs, s.Value); err != nil {
			return "", fmt.Errorf("%s/%s: %s: %v", s.Kind, s.Name, s.Path, err)
		}
	}
	var b strings.Builder
	for i, d := range docs {
		if i > 0 {
			b.WriteString("---\n")
		}
		if nodes[i] == nil {
			b.WriteString(d.text)
			continue
		}
		var out bytes.Buffer
		e := yamlv3.NewEncoder(&out)
		e.SetIndent(2)
		if err := e.Encode(nodes[i]); err != nil {
			return "", err
		}
		_ = e.Close()
		b.Write(out.Bytes())
	}
	return b.String(), nil
}

// findDoc finds the manifest a patch targets (parsing it into nodes[i] the first time).
func findDoc(docs []document, nodes []*yamlv3.Node, s Set) (int, error) {
	var have []string
	for i, d := range docs {
		var m struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		js, err := yaml.YAMLToJSON([]byte(d.text))
		if err != nil || yaml.Unmarshal(js, &m) != nil || m.Kind == "" || m.Kind == "Scenario" || m.Kind == "Lesson" {
			continue
		}
		if !strings.EqualFold(m.Kind, s.Kind) || m.Metadata.Name != s.Name {
			have = append(have, m.Kind+"/"+m.Metadata.Name)
			continue
		}
		if nodes[i] == nil {
			var n yamlv3.Node
			if err := yamlv3.Unmarshal([]byte(d.text), &n); err != nil || n.Kind != yamlv3.DocumentNode || len(n.Content) == 0 {
				return 0, fmt.Errorf("%s/%s: cannot read its YAML", s.Kind, s.Name)
			}
			nodes[i] = &n
		}
		return i, nil
	}
	return 0, fmt.Errorf("NotFound: no %s/%s in the scenario (its manifests: %s)", s.Kind, s.Name, strings.Join(have, ", "))
}

// setPath puts v at segs under the document n, creating missing mappings on the way; a list
// index must exist.
func setPath(doc *yamlv3.Node, segs []segment, v *yamlv3.Node) error {
	n := doc.Content[0]
	for i, s := range segs {
		if n.Kind == yamlv3.AliasNode {
			return fmt.Errorf("%s is a YAML alias: write the value out instead", renderPath(segs[:i]))
		}
		last := i == len(segs)-1
		if s.index >= 0 {
			if n.Kind != yamlv3.SequenceNode {
				return fmt.Errorf("%s is not a list", renderPath(segs[:i]))
			}
			if s.index >= len(n.Content) {
				return fmt.Errorf("index %d out of range: %s has %d items", s.index, renderPath(segs[:i]), len(n.Content))
			}
			if last {
				n.Content[s.index] = v
				return nil
			}
			n = n.Content[s.index]
			continue
		}
		if n.Kind == yamlv3.ScalarNode && n.Tag == "!!null" {
			n.Kind, n.Tag, n.Value, n.Style = yamlv3.MappingNode, "!!map", "", 0
		}
		if n.Kind != yamlv3.MappingNode {
			return fmt.Errorf("%s is not an object", renderPath(segs[:i]))
		}
		var next *yamlv3.Node
		for k := 0; k+1 < len(n.Content); k += 2 {
			if n.Content[k].Value == s.name {
				if last {
					n.Content[k+1] = v
					return nil
				}
				next = n.Content[k+1]
				break
			}
		}
		if next == nil {
			key := &yamlv3.Node{Kind: yamlv3.ScalarNode, Tag: "!!str", Value: s.name}
			next = v
			if !last {
				if segs[i+1].index >= 0 {
					return fmt.Errorf("%s does not exist, so it has no item %d", renderPath(segs[:i+1]), segs[i+1].index)
				}
				next = &yamlv3.Node{Kind: yamlv3.MappingNode, Tag: "!!map", Style: n.Style & yamlv3.FlowStyle}
			}
			n.Content = append(n.Content, key, next)
			if last {
				return nil
			}
		}
		n = next
	}
	return nil
}

// comparisonDoc is the shape of the `kind: Comparison` document.
type comparisonDoc struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Title         string       `json:"title"`
	Description   string       `json:"description"`
	TitleZh       string       `json:"titleZh"`
	DescriptionZh string       `json:"descriptionZh"`
	Scenario      string       `json:"scenario"`
	Seed          uint64       `json:"seed"`
	Variants      []variantDoc `json:"variants"`
}

type variantDoc struct {
	Label    string   `json:"label"`
	Scenario string   `json:"scenario"`
	Set      []string `json:"set"`
}

// ParseComparison reads a `kind: Comparison` file. It checks the file's own fields and the
// patches' syntax; Resolve checks them against the scenarios.
func ParseComparison(name string, data []byte) (*Comparison, error) {
	p := &parser{file: name}
	if len(data) > MaxComparisonBytes {
		p.errorf(0, "", "", "the file is %d bytes; a comparison may be at most %d bytes", len(data), MaxComparisonBytes)
		return nil, p.errs
	}
	var docs []document
	for _, d := range splitDocuments(string(data)) {
		if strings.TrimSpace(stripComments(d.text)) != "" {
			docs = append(docs, d)
		}
	}
	if len(docs) != 1 {
		p.errorf(1, "", "", "a comparison file holds exactly one document (kind: Comparison), found %d", len(docs))
		return nil, p.errs
	}
	d := docs[0]
	js, err := yaml.YAMLToJSONStrict([]byte(d.text))
	if err != nil {
		p.errorf(d.line, "", "", "invalid YAML: %s", strings.TrimPrefix(err.Error(), "error converting YAML to JSON: "))
		return nil, p.errs
	}
	var root yamlv3.Node
	_ = yamlv3.Unmarshal([]byte(d.text), &root)
	loc := &locator{root: &root, offset: d.line - 1}
	r := gjson.ParseBytes(js)
	if !r.IsObject() {
		p.errorf(d.line, "", "", "a comparison must be a YAML mapping, got %s", jsonType(r))
		return nil, p.errs
	}
	if k := r.Get("kind").String(); k != "Comparison" {
		p.errorf(loc.line("kind"), "", "kind", "Unsupported value: %q: a comparison file has kind: Comparison", k)
		return nil, p.errs
	}
	if v := r.Get("apiVersion").String(); v != APIVersion {
		p.errorf(loc.line("apiVersion"), "Comparison", "apiVersion", "Unsupported value: %q: supported values: %q", v, APIVersion)
		return nil, p.errs
	}
	var doc comparisonDoc
	var dec decoder
	dec.decode(reflect.ValueOf(&doc).Elem(), r, nil)
	for _, e := range dec.errs {
		p.errorf(loc.lineSegs(e.path), "Comparison", renderPath(e.path), "%s", e.msg)
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	c := &Comparison{File: name, Name: doc.Metadata.Name, Title: strings.TrimSpace(doc.Title),
		Description: strings.TrimSpace(doc.Description), TitleZh: strings.TrimSpace(doc.TitleZh),
		DescriptionZh: strings.TrimSpace(doc.DescriptionZh), Seed: doc.Seed}
	obj := fmt.Sprintf("Comparison %q", c.Name)
	if c.Name == "" {
		p.errorf(loc.line("metadata"), "Comparison", "metadata.name", "Required value: a comparison needs a name")
	}
	if len(doc.Variants) != 2 {
		p.errorf(loc.line("variants"), obj, "variants", "Invalid value: %d variants: a comparison has exactly 2, shown side by side", len(doc.Variants))
		return nil, p.errs
	}
	for i, vd := range doc.Variants {
		where := fmt.Sprintf("variants[%d]", i)
		v := Variant{Label: strings.TrimSpace(vd.Label), Scenario: vd.Scenario, where: where, line: loc.line(where)}
		if v.Scenario == "" {
			v.Scenario = doc.Scenario
		}
		if v.Scenario == "" {
			p.errorf(v.line, obj, where+".scenario", "Required value: name a catalogue scenario, here or in the comparison's scenario")
		}
		for j, text := range vd.Set {
			sw := fmt.Sprintf("%s.set[%d]", where, j)
			v.setWhere, v.setLine = append(v.setWhere, sw), append(v.setLine, loc.line(sw))
			s, err := ParseSet(text)
			if err != nil {
				p.errorf(loc.line(sw), obj, sw, "%v", err)
				continue
			}
			v.Set = append(v.Set, s)
		}
		c.Variants[i] = v
		p.checkVariant(obj, &c.Variants[i])
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return c, nil
}

// checkVariant checks the limits of a variant.
func (p *parser) checkVariant(obj string, v *Variant) {
	if len([]rune(v.Label)) > MaxLabel {
		p.errorf(v.line, obj, v.where+".label", "Too long: %d characters: at most %d, it is a heading", len([]rune(v.Label)), MaxLabel)
	}
	if len(v.setWhere) > MaxSets {
		p.errorf(v.line, obj, v.where+".set", "Too many: %d: at most %d patches per variant", len(v.setWhere), MaxSets)
	}
}

// ComparisonQuery is a comparison written in a URL (compare.html's options): side A is
// Scenario with SetA, side B is B (default: Scenario) with SetB.
type ComparisonQuery struct {
	Scenario, B    string
	SetA, SetB     []string
	LabelA, LabelB string
	Seed           uint64
}

// FromQuery builds a comparison from URL options; errors name the option.
func FromQuery(q ComparisonQuery) (*Comparison, error) {
	p := &parser{file: "URL"}
	c := &Comparison{File: "URL", Name: "url", Seed: q.Seed}
	if q.Scenario == "" {
		p.errorf(0, "", "scenario", "Required value: name the scenario of side A, e.g. scenario=rolling-update (or c=NAME for a catalogue comparison)")
		return nil, p.errs
	}
	if q.B == "" {
		q.B = q.Scenario
	}
	sides := []struct {
		scenario, label, opt string
		sets                 []string
	}{{q.Scenario, q.LabelA, "seta", q.SetA}, {q.B, q.LabelB, "setb", q.SetB}}
	for i, sd := range sides {
		v := Variant{Label: strings.TrimSpace(sd.label), Scenario: withYAML(sd.scenario), where: []string{"a", "b"}[i]}
		for j, text := range sd.sets {
			sw := fmt.Sprintf("%s[%d]", sd.opt, j)
			v.setWhere, v.setLine = append(v.setWhere, sw), append(v.setLine, 0)
			s, err := ParseSet(text)
			if err != nil {
				p.errorf(0, "", sw, "%v", err)
				continue
			}
			v.Set = append(v.Set, s)
		}
		c.Variants[i] = v
		p.checkVariant("", &c.Variants[i])
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return c, nil
}

// withYAML lets a URL name a catalogue scenario without its extension.
func withYAML(name string) string {
	if name != "" && !strings.HasSuffix(name, ".yaml") {
		return name + ".yaml"
	}
	return name
}

// Side is a resolved variant: the scenario text to load, and what to print above it.
type Side struct {
	Label string   `json:"label"`
	Diff  []string `json:"diff"` // the patches as read (`maxSurge: 0`), or the scenario's title
	Name  string   `json:"name"` // the scenario's catalogue name
	Text  string   `json:"text"` // the patched scenario
	Title string   `json:"title"`
}

// Resolution is a comparison ready for the page: both sides and the seed they share.
type Resolution struct {
	Title         string  `json:"title"`
	Description   string  `json:"description"`
	TitleZh       string  `json:"titleZh,omitempty"`
	DescriptionZh string  `json:"descriptionZh,omitempty"`
	Seed          uint64  `json:"seed"`
	Sides         [2]Side `json:"sides"`
}

// Resolve reads each variant's scenario with read (the catalogue), applies its patches and
// parses the result, so a patch that names a missing object or field, or gives a value the
// API refuses, is reported at the patch.
func (c *Comparison) Resolve(read func(name string) ([]byte, error)) (*Resolution, error) {
	p := &parser{file: c.File}
	obj := ""
	if c.File != "URL" {
		obj = fmt.Sprintf("Comparison %q", c.Name)
	}
	res := &Resolution{Title: c.Title, Description: c.Description, TitleZh: c.TitleZh, DescriptionZh: c.DescriptionZh, Seed: c.Seed}
	for i := range c.Variants {
		v := &c.Variants[i]
		data, err := read(v.Scenario)
		if err != nil {
			path := v.where + ".scenario"
			if c.File == "URL" {
				path = []string{"scenario", "b"}[i]
			}
			p.errorf(v.line, obj, path, "NotFound: no scenario %q in the catalogue", v.Scenario)
			continue
		}
		text, err := string(data), error(nil)
		for j, s := range v.Set {
			if text, err = ApplySets(text, []Set{s}); err != nil {
				p.errorf(v.setLine[j], obj, v.setWhere[j], "%v", err)
				break
			}
		}
		if err != nil {
			continue
		}
		sc, err := Parse(v.Scenario, []byte(text))
		if err != nil {
			for _, e := range asList(err) {
				where, line := v.where, v.line
				for j, s := range v.Set {
					if e.Object == fmt.Sprintf("%s %q", canonicalKind(e.Object, s.Kind), s.Name) && pathsOverlap(e.Path, s.Path) {
						where, line = v.setWhere[j], v.setLine[j]
					}
				}
				msg := e.Msg
				if e.Path != "" {
					msg = e.Path + ": " + msg
				}
				if e.Object != "" {
					msg = e.Object + ": " + msg
				}
				p.errorf(line, obj, where, "%s", msg)
			}
			continue
		}
		if i == 0 && res.Seed == 0 {
			res.Seed = sc.Seed
		}
		sd := Side{Label: v.Label, Name: v.Scenario, Text: text, Title: sc.Title}
		var short []string
		for _, s := range v.Set {
			sd.Diff, short = append(sd.Diff, s.String()), append(short, s.Short())
		}
		if len(sd.Diff) == 0 {
			sd.Diff, short = []string{sc.Title}, []string{sc.Title}
		}
		if sd.Label == "" {
			sd.Label = strings.Join(short, ", ")
		}
		res.Sides[i] = sd
	}
	if len(p.errs) == 0 && res.Sides[0].Text == res.Sides[1].Text {
		where := "variants"
		if c.File == "URL" {
			where = "setb"
		}
		p.errorf(c.Variants[1].line, obj, where, "Invalid value: both variants give the same scenario: nothing to compare (patch one side, or name two scenarios)")
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	if res.Title == "" {
		res.Title = res.Sides[0].Label + " vs " + res.Sides[1].Label
	}
	return res, nil
}

// canonicalKind returns the kind as the parser names the object ("Deployment" for a patch
// written "deployment/web").
func canonicalKind(object, kind string) string {
	if k, _, ok := strings.Cut(object, " "); ok && strings.EqualFold(k, kind) {
		return k
	}
	return kind
}

// pathsOverlap says whether an error at path a is about a patch at path b (one is the other
// or lies under it).
func pathsOverlap(a, b string) bool {
	under := func(x, y string) bool {
		return x == y || strings.HasPrefix(x, y+".") || strings.HasPrefix(x, y+"[")
	}
	return under(a, b) || under(b, a)
}

func asList(err error) ErrorList {
	if l, ok := err.(ErrorList); ok {
		return l
	}
	if e, ok := err.(*Error); ok {
		return ErrorList{e}
	}
	return ErrorList{{Msg: err.Error()}}
}
