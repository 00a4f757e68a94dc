package scenario

import (
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/tidwall/gjson"
	yamlv3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"
)

// Limits on a scenario file, so a pasted file can never freeze a browser tab.
const (
	MaxFileBytes = 1 << 20
	MaxDocuments = 500
	MaxNodes     = 1000
	MaxSteps     = 1000
	// MaxUntil bounds how long a scenario may ask to be simulated.
	MaxUntil = 24 * api.Hour
)

// DefaultUntil is how long a scenario runs when it does not say.
const DefaultUntil = 2 * api.Minute

// Parse reads a scenario file. name is used in error messages (a path or catalogue name).
// On failure the error is an ErrorList with every problem found, each with file and line.
func Parse(name string, data []byte) (*Scenario, error) {
	p := &parser{file: name, sc: &Scenario{File: name, Config: &api.ClusterConfig{}}}
	if len(data) > MaxFileBytes {
		return nil, tooLarge(name, fmt.Sprintf("%d bytes", len(data)))
	}
	docs := splitDocuments(string(data))
	if len(docs) > MaxDocuments {
		p.errorf(0, "", "", "the file has %d documents; a scenario may have at most %d", len(docs), MaxDocuments)
		return nil, p.errs
	}
	var scenarioDocs, lessonDocs int
	for _, d := range docs {
		if strings.TrimSpace(stripComments(d.text)) == "" {
			continue
		}
		p.document(d, &scenarioDocs, &lessonDocs)
	}
	if scenarioDocs == 0 && len(p.errs) == 0 {
		p.errorf(1, "", "", "no Scenario document: the file must contain one document with apiVersion: %s and kind: Scenario", APIVersion)
	}
	if len(p.errs) == 0 {
		p.checkTimeline()
		p.checkLesson() // lesson.go
		p.checkLimits() // limits.go
	}
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
		return nil, p.errs
	}
	sort.SliceStable(p.sc.Timeline, func(i, j int) bool { return p.sc.Timeline[i].At < p.sc.Timeline[j].At })
	p.sc.Config.MetricsServer = p.sc.Config.HasUsageModel()
	for _, st := range p.sc.Timeline {
		if strings.HasPrefix(st.Command, "load ") {
			p.sc.Config.MetricsServer = true
		}
	}
	return p.sc, nil
}

// ParseReader reads a scenario file from r and parses it. It reads at most MaxFileBytes+1
// bytes: a larger file (or an endless stream) is refused without being read whole.
func ParseReader(name string, r io.Reader) (*Scenario, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxFileBytes {
		return nil, TooLarge(name)
	}
	return Parse(name, data)
}

// TooLarge is the error for a file known to be over MaxFileBytes without reading it all.
func TooLarge(name string) error {
	return tooLarge(name, fmt.Sprintf("more than %d bytes", MaxFileBytes))
}

func tooLarge(name, size string) error {
	return ErrorList{{File: name, Msg: fmt.Sprintf("the file is %s; a scenario may be at most %d bytes (1 MiB)", size, MaxFileBytes)}}
}

type parser struct {
	file string
	sc   *Scenario
	errs ErrorList
	// loadLines are the lines of the scenario's load entries, for errors found later.
	loadLines []int
}

func (p *parser) errorf(line int, object, path, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Object: object, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// fieldError reports an API validation error with its field path in Error.Path, where tools
// find it, rendered the same as FieldError.Error().
func (p *parser) fieldError(line int, object string, fe *api.FieldError) {
	p.errorf(line, object, fe.Path, "%s", strings.TrimPrefix(fe.Error(), fe.Path+": "))
}

type document struct {
	text string
	line int // 1-based line of the document's first line
}

// splitDocuments cuts a YAML stream at "---" lines, remembering where each document starts.
func splitDocuments(s string) []document {
	var docs []document
	lines := strings.SplitAfter(s, "\n")
	var cur strings.Builder
	start := 1
	for i, l := range lines {
		if strings.HasPrefix(l, "---") && strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "---")) == "" {
			docs = append(docs, document{text: cur.String(), line: start})
			cur.Reset()
			start = i + 2
			continue
		}
		cur.WriteString(l)
	}
	return append(docs, document{text: cur.String(), line: start})
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func (p *parser) document(d document, scenarioDocs, lessonDocs *int) {
	js, err := yaml.YAMLToJSONStrict([]byte(d.text))
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "error converting YAML to JSON: ")
		line := d.line
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = d.line + n - 1
			msg = strings.Replace(msg, m[0], "line "+strconv.Itoa(line), 1)
		}
		p.errorf(line, "", "", "invalid YAML: %s", msg)
		return
	}
	var root yamlv3.Node
	_ = yamlv3.Unmarshal([]byte(d.text), &root) // only for line numbers; sigs.k8s.io/yaml already accepted it
	loc := &locator{root: &root, offset: d.line - 1}
	r := gjson.ParseBytes(js)
	if !r.IsObject() {
		p.errorf(d.line, "", "", "a document must be a YAML mapping (an object with apiVersion and kind), got %s", jsonType(r))
		return
	}
	kind, apiVersion := r.Get("kind").String(), r.Get("apiVersion").String()
	switch {
	case kind == "":
		p.errorf(d.line, "", "kind", "Required value: every document needs a kind (Scenario, Lesson, or one of %s)", strings.Join(api.SupportedKinds(), ", "))
		return
	case kind == "Scenario":
		*scenarioDocs++
		if *scenarioDocs > 1 {
			p.errorf(d.line, "", "", "a second Scenario document: a file holds exactly one")
			return
		}
		p.scenarioDoc(r, loc)
		return
	case kind == "Lesson":
		*lessonDocs++
		if *lessonDocs > 1 {
			p.errorf(d.line, "", "", "a second Lesson document: a file holds at most one")
			return
		}
		p.lessonDoc(r, loc, d.line)
		return
	}
	info, ok := api.Kinds[kind]
	if !ok {
		p.errorf(loc.line("kind"), "", "kind", "Unsupported value: %q: kubesim supports Scenario, Lesson, %s", kind, strings.Join(api.SupportedKinds(), ", "))
		return
	}
	obj := info.New()
	other, isOther := api.OtherVersions[apiVersion+"/"+kind]
	switch {
	case isOther:
		obj = other.New()
	case apiVersion != info.APIVersion:
		p.errorf(loc.line("apiVersion"), kind, "apiVersion", "Unsupported value: %q: %s is served as apiVersion %q", apiVersion, kind, info.APIVersion)
		return
	}
	objName := fmt.Sprintf("%s %q", kind, r.Get("metadata.name").String())
	var dec decoder
	dec.decode(reflect.ValueOf(obj).Elem(), r, nil)
	for _, e := range dec.errs {
		p.errorf(loc.lineSegs(e.path), objName, renderPath(e.path), "%s", e.msg)
	}
	if len(dec.errs) > 0 {
		return
	}
	if isOther {
		obj = other.Convert(obj) // stored, defaulted and validated in the served version
	}
	m := obj.Meta()
	if m.Name == "" {
		p.errorf(d.line, kind, "metadata.name", "Required value: name or generateName is required")
		return
	}
	if info.Namespaced && m.Namespace == "" {
		m.Namespace = "default"
	}
	if !info.Namespaced {
		m.Namespace = ""
	}
	clearStatus(obj)
	api.Default(obj)
	for _, fe := range api.Validate(obj) {
		p.fieldError(loc.line(fe.Path), objName, fe)
	}
	if node, ok := obj.(*api.Node); ok {
		p.addNode(node, d.line)
		return
	}
	for _, prev := range p.sc.Manifests {
		if prev.Object.GetKind() == kind && prev.Object.Meta().Key() == m.Key() {
			p.errorf(d.line, objName, "", "defined twice (first at line %d)", prev.Line)
			return
		}
		// The Priority admission plugin would refuse the second default when it is applied.
		if pc, ok := obj.(*api.PriorityClass); ok && pc.GlobalDefault {
			if o, ok := prev.Object.(*api.PriorityClass); ok && o.GlobalDefault {
				p.errorf(loc.line("globalDefault"), objName, "globalDefault", "Forbidden: PriorityClass %v is already marked as default. Only one default can exist (line %d)", o.Name, prev.Line)
			}
		}
	}
	if pc, ok := obj.(*api.PriorityClass); ok && api.LookupPriorityClass(emptyLister{}, pc.Name) != nil {
		p.errorf(d.line, objName, "metadata.name", "AlreadyExists: %s is a built-in PriorityClass of every cluster", pc.Name)
		return
	}
	p.sc.Manifests = append(p.sc.Manifests, Manifest{Object: obj, Line: d.line})
}

// clearStatus drops a manifest's status: like kubectl apply, what a user writes there is
// ignored; the controllers own it.
func clearStatus(o api.Object) {
	f := reflect.ValueOf(o).Elem().FieldByName("Status")
	if f.IsValid() && f.CanSet() {
		f.Set(reflect.Zero(f.Type()))
	}
}

// scenarioDoc is the shape of the `kind: Scenario` document.
type scenarioDoc struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Title         string                       `json:"title"`
	Description   string                       `json:"description"`
	TitleZh       string                       `json:"titleZh"`
	DescriptionZh string                       `json:"descriptionZh"`
	Seed          uint64                       `json:"seed"`
	Until         api.Duration                 `json:"until"`
	Nodes         []nodeDoc                    `json:"nodes"`
	Images        map[string]api.ImageBehavior `json:"images"`
	DefaultImage  *api.ImageBehavior           `json:"defaultImage"`
	ClusterCIDR   string                       `json:"clusterCIDR"`
	Load          []api.Load                   `json:"load"`
	Timeline      []stepDoc                    `json:"timeline"`
}

// nodeDoc is the `nodes:` shorthand for a Node.
type nodeDoc struct {
	Name          string            `json:"name"`
	CPU           *api.Quantity     `json:"cpu"`
	Memory        *api.Quantity     `json:"memory"`
	Pods          *int64            `json:"pods"`
	Labels        map[string]string `json:"labels"`
	Taints        []api.Taint       `json:"taints"`
	Unschedulable bool              `json:"unschedulable"`
}

// stepDoc is one timeline entry: `at` plus exactly one action.
type stepDoc struct {
	At      *api.Duration `json:"at"`
	Apply   string        `json:"apply"`
	Kubectl string        `json:"kubectl"`
	Caption string        `json:"caption"`
	// CaptionZh is the caption in Simplified Chinese (only beside caption).
	CaptionZh string    `json:"captionZh"`
	Fail      string    `json:"fail"`
	Recover   string    `json:"recover"`
	Load      *api.Load `json:"load"`
}

// Node defaults for the shorthand and for Node manifests without a status.
var (
	defaultNodeCPU    = api.MustQuantity("4")
	defaultNodeMemory = api.MustQuantity("8Gi")
)

const defaultNodePods = 110

func (p *parser) scenarioDoc(r gjson.Result, loc *locator) {
	if v := r.Get("apiVersion").String(); v != APIVersion {
		p.errorf(loc.line("apiVersion"), "Scenario", "apiVersion", "Unsupported value: %q: supported values: %q", v, APIVersion)
		return
	}
	var doc scenarioDoc
	var dec decoder
	dec.decode(reflect.ValueOf(&doc).Elem(), r, nil)
	for _, e := range dec.errs {
		p.errorf(loc.lineSegs(e.path), "Scenario", renderPath(e.path), "%s", e.msg)
	}
	if len(dec.errs) > 0 {
		return
	}
	sc := p.sc
	sc.Name, sc.Title, sc.Description, sc.Seed = doc.Metadata.Name, doc.Title, strings.TrimSpace(doc.Description), doc.Seed
	sc.TitleZh, sc.DescriptionZh = strings.TrimSpace(doc.TitleZh), strings.TrimSpace(doc.DescriptionZh)
	if sc.Name == "" {
		p.errorf(loc.line("metadata"), "Scenario", "metadata.name", "Required value: a scenario needs a name")
	}
	if sc.Seed == 0 {
		sc.Seed = 1
	}
	sc.Until = doc.Until // between 0 and MaxUntil, like every duration (decoder.duration)
	if sc.Until == 0 {
		sc.Until = DefaultUntil
	}
	if doc.Images != nil {
		sc.Config.Images = doc.Images
	}
	if doc.DefaultImage != nil {
		sc.Config.DefaultImage = *doc.DefaultImage
	}
	if doc.ClusterCIDR != "" {
		if msg := api.CheckClusterCIDR(doc.ClusterCIDR); msg != "" {
			p.errorf(loc.line("clusterCIDR"), "Scenario", "clusterCIDR", "Invalid value: %q: %s", doc.ClusterCIDR, msg)
		}
		sc.Config.ClusterCIDR = doc.ClusterCIDR
	}
	seen := map[string]int{}
	for i, l := range doc.Load {
		path := fmt.Sprintf("load[%d]", i)
		if msg := l.Check(); msg != "" {
			p.errorf(loc.line(path), "Scenario", path, "%s", msg)
			continue
		}
		kind, name := l.Target()
		key := l.NamespaceOrDefault() + "/" + kind + "/" + name
		if j, dup := seen[key]; dup {
			p.errorf(loc.line(path), "Scenario", path, "Duplicate value: %s %q already has a load (load[%d])", kind, name, j)
			continue
		}
		seen[key] = i
		sc.Config.Loads = append(sc.Config.Loads, l)
		p.loadLines = append(p.loadLines, loc.line(path))
	}
	for i, nd := range doc.Nodes {
		path := fmt.Sprintf("nodes[%d]", i)
		n := &api.Node{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Node"},
			ObjectMeta: api.ObjectMeta{Name: nd.Name, Labels: nd.Labels},
			Spec:       api.NodeSpec{Taints: nd.Taints, Unschedulable: nd.Unschedulable}}
		n.Status.Capacity = api.ResourceList{}
		if nd.CPU != nil {
			n.Status.Capacity[api.ResourceCPU] = *nd.CPU
		}
		if nd.Memory != nil {
			n.Status.Capacity[api.ResourceMemory] = *nd.Memory
		}
		if nd.Pods != nil {
			n.Status.Capacity[api.ResourcePods] = api.Quantity{Text: strconv.FormatInt(*nd.Pods, 10), Milli: *nd.Pods * 1000}
		}
		// The shorthand is a Node like any other: the API's defaulting and validation apply,
		// with each error reported at the shorthand field it came from.
		nodeDefaults(n)
		api.Default(n)
		if errs := api.Validate(n); len(errs) > 0 {
			for _, fe := range errs {
				e := *fe
				e.Path = path + "." + shorthandField(fe.Path)
				p.fieldError(loc.line(e.Path), "Scenario", &e)
			}
			continue
		}
		p.addNode(n, loc.line(path))
	}
	if len(sc.Nodes) > MaxNodes {
		p.errorf(loc.line("nodes"), "Scenario", "nodes", "Too many: %d: a scenario may have at most %d nodes", len(sc.Nodes), MaxNodes)
	}
	if len(doc.Timeline) > MaxSteps {
		p.errorf(loc.line("timeline"), "Scenario", "timeline", "Too many: %d: a scenario may have at most %d steps", len(doc.Timeline), MaxSteps)
		return
	}
	for i, st := range doc.Timeline {
		path := fmt.Sprintf("timeline[%d]", i)
		line := loc.line(path)
		if st.At == nil {
			p.errorf(line, "Scenario", path+".at", "Required value: every step needs a time, e.g. at: 30s")
			continue
		}
		var cmds []string
		for _, c := range []struct{ verb, arg string }{{"apply", st.Apply}, {"kubectl", st.Kubectl}, {"caption", st.Caption}, {"fail", st.Fail}, {"recover", st.Recover}} {
			if c.arg != "" {
				cmds = append(cmds, c.verb+" "+strings.TrimSpace(c.arg))
			}
		}
		if st.Load != nil {
			if msg := st.Load.Check(); msg != "" {
				p.errorf(loc.line(path+".load"), "Scenario", path+".load", "%s", msg)
				continue
			}
			cmds = append(cmds, LoadCommand(*st.Load))
		}
		if len(cmds) != 1 {
			p.errorf(line, "Scenario", path, "Invalid value: a step has exactly one of apply, kubectl, caption, fail, recover, load (found %d)", len(cmds))
			continue
		}
		if st.CaptionZh != "" && st.Caption == "" {
			p.errorf(loc.line(path+".captionZh"), "Scenario", path+".captionZh", "Invalid value: captionZh translates a caption: give it beside caption, in the same step")
			continue
		}
		sc.Timeline = append(sc.Timeline, Step{At: api.Time(*st.At), Command: cmds[0], CaptionZh: strings.TrimSpace(st.CaptionZh), Line: line})
	}
}

// addNode fills a node's defaults (capacity, allocatable, hostname label, Ready) and adds it.
func (p *parser) addNode(n *api.Node, line int) {
	for _, prev := range p.sc.Nodes {
		if prev.Name == n.Name {
			p.errorf(line, fmt.Sprintf("Node %q", n.Name), "", "defined twice")
			return
		}
	}
	nodeDefaults(n)
	p.sc.Nodes = append(p.sc.Nodes, n)
}

// shorthandField maps a Node field path to the `nodes:` shorthand field it comes from:
// metadata.name -> name, spec.taints[0].effect -> taints[0].effect, status.capacity[cpu] -> cpu.
func shorthandField(path string) string {
	for _, pre := range []string{"metadata.", "spec."} {
		if rest, ok := strings.CutPrefix(path, pre); ok {
			return rest
		}
	}
	for _, pre := range []string{"status.capacity[", "status.allocatable["} {
		if rest, ok := strings.CutPrefix(path, pre); ok {
			return strings.TrimSuffix(rest, "]")
		}
	}
	return path
}

// nodeDefaults fills what the scenario format promises for a node without a status:
// capacity (and allocatable) defaults, the hostname label and a Ready condition.
func nodeDefaults(n *api.Node) {
	if n.Status.Capacity == nil {
		n.Status.Capacity = api.ResourceList{}
	}
	for res, def := range map[string]api.Quantity{api.ResourceCPU: defaultNodeCPU, api.ResourceMemory: defaultNodeMemory,
		api.ResourcePods: {Text: strconv.Itoa(defaultNodePods), Milli: defaultNodePods * 1000}} {
		if _, ok := n.Status.Capacity[res]; !ok {
			n.Status.Capacity[res] = def
		}
	}
	if n.Status.Allocatable == nil {
		n.Status.Allocatable = api.Clone(n.Status.Capacity)
	}
	if n.Labels == nil {
		n.Labels = map[string]string{}
	}
	if _, ok := n.Labels[api.LabelHostname]; !ok {
		n.Labels[api.LabelHostname] = n.Name
	}
	if len(n.Status.Conditions) == 0 {
		n.Status.Conditions = []api.NodeCondition{{Type: "Ready", Status: api.ConditionTrue, Reason: "KubeletReady",
			Message: "kubelet is posting ready status"}}
	}
}

// checkTimeline verifies that every step refers to something that exists.
func (p *parser) checkTimeline() {
	nodes := map[string]bool{}
	for _, n := range p.sc.Nodes {
		nodes[n.Name] = true
	}
	for i, l := range p.sc.Config.Loads {
		p.checkLoadTarget(p.loadLines[i], fmt.Sprintf("load[%d]", i), l)
	}
	for _, st := range p.sc.Timeline {
		verb, arg, _ := strings.Cut(st.Command, " ")
		switch verb {
		case "apply":
			if arg == "all" {
				continue
			}
			found := false
			for _, m := range p.sc.Manifests {
				o := m.Object
				if strings.EqualFold(o.GetKind()+"/"+o.Meta().Name, arg) {
					found = true
				}
			}
			if !found {
				p.errorf(st.Line, "Scenario", "timeline", "apply %q: no manifest in this file is %q; use \"all\" or Kind/name, e.g. Deployment/web", arg, arg)
			}
		case "load":
			l, err := ParseLoadCommand(arg)
			if err != nil {
				p.errorf(st.Line, "Scenario", "timeline", "%v", err)
				continue
			}
			p.checkLoadTarget(st.Line, "timeline", l)
		case "fail", "recover":
			name, ok := strings.CutPrefix(arg, "node/")
			if !ok || !nodes[name] {
				p.errorf(st.Line, "Scenario", "timeline", "%s %q: want node/NAME naming one of the scenario's nodes", verb, arg)
			}
		}
	}
}

// checkLoadTarget reports a load whose Service or workload is not among the manifests.
func (p *parser) checkLoadTarget(line int, path string, l api.Load) {
	kind, name := l.Target()
	for _, m := range p.sc.Manifests {
		o := m.Object
		if o.GetKind() == kind && o.Meta().Name == name && o.Meta().Namespace == l.NamespaceOrDefault() {
			return
		}
	}
	p.errorf(line, "Scenario", path, "load: no manifest in this file is %s %q in namespace %q", kind, name, l.NamespaceOrDefault())
}

// LoadCommand renders a load step as its action command: "load service/web 200" (with
// " -n NS" outside the default namespace).
func LoadCommand(l api.Load) string {
	kind, name := l.Target()
	s := fmt.Sprintf("load %s/%s %d", strings.ToLower(kind), name, l.RPS)
	if l.Namespace != "" && l.Namespace != "default" {
		s += " -n " + l.Namespace
	}
	return s
}

// ParseLoadCommand reads the arguments of a load command: "service/web 200 [-n NS]".
func ParseLoadCommand(arg string) (api.Load, error) {
	f := strings.Fields(arg)
	var l api.Load
	if len(f) == 4 && f[2] == "-n" {
		l.Namespace, f = f[3], f[:2]
	}
	if len(f) != 2 {
		return l, fmt.Errorf("load %q: want KIND/NAME RPS [-n NAMESPACE], e.g. load service/web 200", arg)
	}
	kind, name, _ := strings.Cut(f[0], "/")
	switch strings.ToLower(kind) {
	case "service", "svc":
		l.Service = name
	case "deployment", "deploy":
		l.Deployment = name
	case "statefulset", "sts":
		l.StatefulSet = name
	default:
		return l, fmt.Errorf("load %q: the target is a service, deployment or statefulset, e.g. service/web", arg)
	}
	rps, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || name == "" {
		return l, fmt.Errorf("load %q: want KIND/NAME RPS with a whole number of requests per second", arg)
	}
	l.RPS = rps
	if msg := l.Check(); msg != "" {
		return l, fmt.Errorf("load %q: %s", arg, msg)
	}
	return l, nil
}

// locator finds the line of a field path in a document's YAML node tree.
type locator struct {
	root   *yamlv3.Node
	offset int
}

var pathSegRE = regexp.MustCompile(`([^.\[\]]+)|\[(\d+)\]|\[([^\]]*)\]`)

// line returns the line of a dotted path like "spec.containers[0].image", or of its deepest
// existing ancestor.
func (l *locator) line(path string) int {
	var segs []segment
	for _, m := range pathSegRE.FindAllStringSubmatch(path, -1) {
		switch {
		case m[1] != "":
			segs = append(segs, segment{name: m[1], index: -1})
		case m[2] != "":
			n, _ := strconv.Atoi(m[2])
			segs = append(segs, segment{index: n})
		default:
			segs = append(segs, segment{name: m[3], index: -1, key: true})
		}
	}
	return l.lineSegs(segs)
}

func (l *locator) lineSegs(segs []segment) int {
	n := l.root
	if n == nil || n.Kind == 0 {
		return l.offset + 1
	}
	if n.Kind == yamlv3.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, s := range segs {
		switch {
		case n.Kind == yamlv3.MappingNode && s.index < 0:
			var next *yamlv3.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == s.name {
					line, next = n.Content[i].Line, n.Content[i+1]
					break
				}
			}
			if next == nil {
				return l.offset + line
			}
			n = next
		case n.Kind == yamlv3.SequenceNode && s.index >= 0 && s.index < len(n.Content):
			n = n.Content[s.index]
			line = n.Line
		default:
			return l.offset + line
		}
	}
	return l.offset + line
}

// emptyLister finds no stored object: LookupPriorityClass then knows only the built-ins.
type emptyLister struct{}

func (emptyLister) Get(string, string) api.Object    { return nil }
func (emptyLister) List(string, string) []api.Object { return nil }
