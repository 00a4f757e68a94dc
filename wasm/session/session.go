// Package session is what the page's JS bridge calls: a scenario being played at a speed,
// commands from the console, and the panels' data (events and "why" records synced to the
// displayed time, objects, YAML). It is pure Go, so the page's behaviour is tested on the
// host; wasm/ only wires it to Ebiten and syscall/js.
package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/guarantee"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/player"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/trace"
	"sigs.k8s.io/yaml"
)

// Session is one playing scenario.
type Session struct {
	Name    string // catalogue name or "edited.yaml"
	Text    string // the scenario's YAML
	P       *player.Player
	Playing bool
	Speed   float64
	// frac carries sub-millisecond virtual time between ticks.
	frac float64
	// stop is where playing pauses by itself (a lesson step's moment, PlayTo); nil for none.
	stop *api.Time
	// starting: the t=0 instant is still being computed in slices (Begin, Compute).
	starting bool
	// g computes the guarantee markers of the current fork (Guarantees).
	g *guarantees
}

// ErrorLine is a scenario error at a line, for the YAML editor.
type ErrorLine struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// errorLine is an error at its line, without the "file:line: " the page shows beside it.
func errorLine(e *scenario.Error) ErrorLine {
	msg := e.Error()
	if e.Line > 0 {
		msg = strings.TrimPrefix(msg, fmt.Sprintf("%s:%d: ", e.File, e.Line))
	}
	return ErrorLine{e.Line, msg}
}

// LoadError carries every error of a scenario that did not load.
type LoadError struct {
	Message string      `json:"message"`
	Lines   []ErrorLine `json:"lines"`
}

func (e *LoadError) Error() string { return e.Message }

// Load parses and builds a scenario. On error the caller keeps its previous session.
func Load(name, text string, seed uint64) (*Session, error) {
	s, err := Begin(name, text, seed)
	if err != nil {
		return nil, err
	}
	for {
		done, err := s.Compute(-1)
		if err != nil {
			return nil, &LoadError{Message: err.Error()}
		}
		if done {
			return s, nil
		}
	}
}

// Begin is Load without running the t=0 instant: the page runs it in slices between frames
// (Compute), so applying a 5,000-replica Deployment never freezes the tab.
func Begin(name, text string, seed uint64) (*Session, error) {
	sc, err := scenario.Parse(name, []byte(text))
	if err != nil {
		le := &LoadError{Message: err.Error()}
		var list scenario.ErrorList
		var one *scenario.Error
		switch {
		case errors.As(err, &list):
			for _, e := range list {
				le.Lines = append(le.Lines, errorLine(e))
			}
		case errors.As(err, &one):
			le.Lines = append(le.Lines, errorLine(one))
		}
		return nil, le
	}
	p, err := player.New(sc, seed)
	if err != nil {
		return nil, &LoadError{Message: err.Error()}
	}
	return &Session{Name: name, Text: text, P: p, Speed: 1, starting: true}, nil
}

// Compute runs at most budget reconciles (negative: no bound) of the t=0 instant, so the
// page opens on the scenario's first moment (its nodes, first caption and applied
// manifests), not on an empty cluster before it. It reports whether the instant is done.
func (s *Session) Compute(budget int) (bool, error) {
	if s.starting && s.P.Now() > 0 { // the viewer moved on (seek, step): that finished it
		s.starting = false
	}
	if !s.starting {
		return true, nil
	}
	done, err := s.P.SeekSlice(0, budget)
	if done || err != nil {
		s.starting = false
	}
	return done, err
}

// ComputeAhead runs at most budget reconciles of the timeline past its frontier while the
// viewer is paused (player.ComputeAhead), so a later seek restores a snapshot near its
// target instead of computing the way there. It reports whether anything is left.
func (s *Session) ComputeAhead(budget int) bool {
	if s.Playing || s.starting {
		return false
	}
	more, err := s.P.ComputeAhead(budget)
	return more && err == nil
}

// Starting reports whether the t=0 instant is still being computed (Compute).
func (s *Session) Starting() bool { return s.starting }

// Tick advances the displayed time by wall milliseconds times the speed when playing. It
// stops playing at the end of the scenario (its `until`, or the last queued moment).
func (s *Session) Tick(wallMs float64) error {
	if !s.Playing || wallMs <= 0 || s.starting {
		return nil
	}
	wallMs = min(wallMs, 250) // a background tab must not jump minutes
	s.frac += wallMs * s.Speed
	d := api.Duration(s.frac)
	s.frac -= float64(d)
	if d <= 0 {
		return nil
	}
	t := s.P.Now().Add(d)
	if end := s.End(); t >= end {
		t = end
		s.Playing = false
	}
	if s.stop != nil && s.P.Now() >= *s.stop {
		s.stop = nil // the display was moved past it (seek, slider)
	}
	if s.stop != nil && t >= *s.stop {
		t, s.stop = *s.stop, nil
		s.Playing = false
	}
	return s.P.Seek(t)
}

// End is the end of the timeline: the scenario's `until`, or 30 s after the last user
// command (player.End). Playing, seeking and stepping never go past it.
func (s *Session) End() api.Time { return s.P.End() }

// Seek moves to a time in seconds (the slider, the keys, the `t` URL option), clamped to
// 0..End. The clamp is done in floating point, so no number (1e300, -Inf) wraps around
// when converted to milliseconds.
func (s *Session) Seek(seconds float64) error {
	if math.IsNaN(seconds) {
		return errors.New("seek: the time is not a number")
	}
	return s.P.Seek(api.Time(min(max(seconds*1000, 0), float64(s.End()))))
}

// OpenShare rebuilds a shared moment of the scenario in text: its seed, user commands, time
// and speed. Times beyond the scenario's end are refused before any replay (player.Replay).
func OpenShare(sh player.Share, text string) (*Session, error) {
	s, err := Load(sh.Scenario, text, sh.Seed)
	if err != nil {
		return nil, err
	}
	p, err := player.Replay(s.P.Scenario(), sh.Seed, sh.Actions, sh.T)
	if err != nil {
		return nil, err
	}
	s.P = p
	s.SetSpeed(sh.Speed)
	return s, nil
}

// SetSpeed clamps to 0.1x-100x; NaN (a bad `speed` URL option) is 1x.
func (s *Session) SetSpeed(v float64) {
	if math.IsNaN(v) {
		v = 1
	}
	s.Speed = min(max(v, player.MinSpeed), player.MaxSpeed)
}

// readOnly lists kubectl commands that only read: they run against the displayed state
// without becoming part of the timeline (no fork).
var readOnly = []string{"get", "describe", "rollout status", "rollout history", "version", "api-resources", "explain", "top", "logs", "cluster-info"}

// isReadOnly says whether a kubectl command line (without "kubectl") only reads.
func isReadOnly(rest string) bool {
	for _, ro := range readOnly {
		if rest == ro || strings.HasPrefix(rest, ro+" ") {
			return true
		}
	}
	return false
}

// Run executes a console line at the displayed time. "kubectl ..." (the prefix may be left
// out), "fail node/N", "recover node/N". Commands that change the cluster fork the timeline.
func (s *Session) Run(line string) (string, error) {
	line = strings.TrimSpace(line)
	if line == "" {
		return "", nil
	}
	verb, _, _ := strings.Cut(line, " ")
	switch verb {
	case "fail", "recover":
		a, err := s.P.Do(line)
		if err != nil {
			return "", err
		}
		if a.Error != "" {
			return a.Output, errors.New(a.Error)
		}
		return fmt.Sprintf("%s: done\n", strings.TrimPrefix(line, verb+" ")), nil
	}
	if verb != "kubectl" {
		line = "kubectl " + line
	}
	rest := strings.TrimSpace(strings.TrimPrefix(line, "kubectl"))
	if isReadOnly(rest) {
		env := &kubectl.Env{Ctx: s.P.Cluster().ActionContext("user"), Manifests: s.P.Cluster().Manifests}
		return kubectl.Run(env, rest)
	}
	a, err := s.P.Do(line)
	if err != nil {
		return "", err
	}
	if a.Error != "" {
		return a.Output, errors.New(a.Error)
	}
	return a.Output, nil
}

// Entry is one line of the Events or Why? panel.
type Entry struct {
	T       float64 `json:"t"` // seconds
	Kind    string  `json:"kind"`
	Type    string  `json:"type,omitempty"` // Normal / Warning for events; controller for explain
	Reason  string  `json:"reason,omitempty"`
	Object  string  `json:"object,omitempty"`
	Message string  `json:"message"`
	// Count is how many identical entries in a row this one stands for (Why? folds a
	// controller's repeated "waiting for ..." into one line), First the earliest's time.
	Count int     `json:"count,omitempty"`
	First float64 `json:"first,omitempty"`
	// MessageZh is a caption's Simplified Chinese text (captionZh), for the page's lang=zh.
	MessageZh string `json:"messageZh,omitempty"`
}

func entry(r trace.Record) (Entry, bool) {
	e := Entry{T: float64(r.T) / 1000, Kind: r.Type}
	switch r.Type {
	case trace.TypeEvent:
		e.Type, e.Reason, e.Object, e.Message = r.Event.EventType, r.Event.Reason, r.Event.Object, r.Event.Message
	case trace.TypeExplain:
		e.Type, e.Object, e.Message = r.Explain.Controller, r.Explain.Object, r.Explain.Message
	case trace.TypeAction:
		e.Type, e.Message = r.Action.Source, "$ "+r.Action.Command
		if r.Action.Error != "" {
			e.Message += "  → " + firstLine(r.Action.Error)
		}
	case trace.TypeCaption:
		e.Message = r.Caption
	default:
		return e, false
	}
	return e, true
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// Events returns the last n events, actions and captions up to the displayed time.
func (s *Session) Events(n int) []Entry {
	var out []Entry
	past := s.P.Past()
	for i := len(past) - 1; i >= 0 && len(out) < n; i-- {
		if past[i].Type == trace.TypeExplain {
			continue
		}
		if e, ok := entry(past[i]); ok {
			if e.Kind == trace.TypeCaption {
				e.MessageZh = s.CaptionZh(e.Message)
			}
			out = append(out, e)
		}
	}
	reverse(out)
	return out
}

// Why returns the explanations and events about an object ("Pod/default/web-0"; also matches
// its owner's records when the object has none), latest last, up to the displayed time.
// With ref "", the latest explanations of any object.
func (s *Session) Why(ref string, n int) []Entry {
	var out []Entry
	// With nothing selected, tell the workloads' story (why the Deployment, ReplicaSet,
	// StatefulSet or node controllers acted); a pod's scheduling and kubelet details are one
	// click away.
	match := func(obj string) bool {
		if ref == "" {
			kind, _, _ := strings.Cut(obj, "/")
			return storyKinds[kind]
		}
		return sameRef(obj, ref)
	}
	past := s.P.Past()
	for i := len(past) - 1; i >= 0 && len(out) < n; i-- {
		r := past[i]
		switch {
		case r.Type == trace.TypeExplain && match(r.Explain.Object),
			r.Type == trace.TypeEvent && ref != "" && match(r.Event.Object):
			e, _ := entry(r)
			if k := len(out) - 1; k >= 0 && out[k].Kind == e.Kind && out[k].Type == e.Type && out[k].Object == e.Object && out[k].Message == e.Message {
				out[k].Count = max(out[k].Count, 1) + 1
				out[k].First = e.T
				continue
			}
			out = append(out, e)
		}
	}
	reverse(out)
	return out
}

// storyKinds are the objects whose explanations the Why? panel shows when nothing is selected.
var storyKinds = map[string]bool{"Deployment": true, "ReplicaSet": true, "StatefulSet": true, "Node": true}

// sameRef compares "Kind/ns/name" refs loosely: explain records may name objects as
// "ns/name" or "kind/name".
func sameRef(obj, ref string) bool {
	if strings.EqualFold(obj, ref) {
		return true
	}
	parts := strings.Split(ref, "/")
	name := parts[len(parts)-1]
	kind := parts[0]
	o := strings.Split(obj, "/")
	if o[len(o)-1] != name {
		return false
	}
	return len(o) < 3 || strings.EqualFold(o[0], kind)
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// Object is one row of the Objects tab.
type Object struct {
	Ref  string `json:"ref"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// hiddenKinds are simulator bookkeeping, not Kubernetes objects a user would list.
var hiddenKinds = map[string]bool{"Event": true, api.ClusterConfigKind: true}

// Objects lists the objects at the displayed time, by kind then name.
func (s *Session) Objects() []Object {
	st := s.P.Cluster().Store()
	var out []Object
	kinds := st.Kinds()
	sort.Strings(kinds)
	for _, k := range kinds {
		if hiddenKinds[k] || !isAPIKind(k) {
			continue
		}
		for _, o := range st.List(k, "") {
			out = append(out, Object{Ref: k + "/" + o.Meta().Key(), Kind: k, Name: o.Meta().Key()})
		}
	}
	return out
}

func isAPIKind(k string) bool {
	_, ok := api.Kinds[k]
	return ok
}

// YAML renders an object ("Kind/ns/name" or "Kind/name") as kubectl get -o yaml would.
func (s *Session) YAML(ref string) (string, error) {
	kind, key, ok := strings.Cut(ref, "/")
	if !ok {
		return "", fmt.Errorf("want Kind/namespace/name, got %q", ref)
	}
	o := s.P.Cluster().Store().Get(kind, key)
	if o == nil {
		return "", fmt.Errorf("%s %q not found at t=%ss", kind, key, s.P.Now().SecondsString())
	}
	j, err := json.Marshal(o)
	if err != nil {
		return "", err
	}
	y, err := yaml.JSONToYAML(j)
	return string(y), err
}

// Caption returns the latest caption up to the displayed time.
func (s *Session) Caption() string {
	c, _ := s.CaptionAt()
	return c
}

// CaptionAt returns the latest caption up to the displayed time and when it was given (the
// page marks a caption whose moment has passed).
func (s *Session) CaptionAt() (string, api.Time) {
	past := s.P.Past()
	for i := len(past) - 1; i >= 0; i-- {
		if past[i].Type == trace.TypeCaption {
			return past[i].Caption, past[i].T
		}
	}
	return "", 0
}

// CaptionZh returns the Simplified Chinese text the scenario gives for the English caption
// (a timeline step's captionZh), or "". The trace holds only the English.
func (s *Session) CaptionZh(caption string) string {
	for _, st := range s.P.Scenario().Timeline {
		if st.CaptionZh != "" && st.Command == "caption "+caption {
			return st.CaptionZh
		}
	}
	return ""
}

// Mark is a moment on the time slider: a caption or an action of the scenario's timeline,
// or a command of the user's.
type Mark struct {
	T     float64 `json:"t"`    // seconds
	Kind  string  `json:"kind"` // caption, action or user
	Label string  `json:"label"`
	// LabelZh is a caption mark's Simplified Chinese text, when the scenario has one.
	LabelZh string `json:"labelZh,omitempty"`
}

// Marks lists the slider's marks in time order: what changes the cluster or tells the
// story, not the timeline's read-only kubectl commands or the user's failed ones.
func (s *Session) Marks() []Mark {
	var out []Mark
	for _, st := range s.P.Scenario().Timeline {
		m := Mark{T: float64(st.At) / 1000, Kind: "action", Label: st.Command}
		if c, ok := strings.CutPrefix(st.Command, "caption "); ok {
			m.Kind, m.Label, m.LabelZh = "caption", c, st.CaptionZh
		} else if c, ok := strings.CutPrefix(st.Command, "kubectl "); ok && isReadOnly(c) {
			continue
		}
		out = append(out, m)
	}
	// The user's commands are all in the past (a command forks the timeline at its moment).
	for _, r := range s.P.Past() {
		if r.Type == trace.TypeAction && r.Action.Source == "user" && r.Action.Error == "" {
			out = append(out, Mark{T: float64(r.T) / 1000, Kind: "user", Label: r.Action.Command})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].T < out[j].T })
	return out
}

// Share encodes the session's moment.
func (s *Session) Share() string {
	return player.Share{Scenario: s.Name, Seed: s.P.Seed(), T: s.P.Now(), Speed: s.Speed, Actions: s.P.Log()}.Encode()
}

// GuaranteeMarker is a moment where a guarantee held or broke (core/guarantee), for the
// time slider's diamonds and the Why panel.
type GuaranteeMarker struct {
	T      float64 `json:"t"` // seconds
	Kind   string  `json:"kind"`
	Held   bool    `json:"held"`
	Object string  `json:"object"`
	Text   string  `json:"text"`
	Why    string  `json:"why"`
}

// Guarantees is what the page gets: the markers found so far, and whether the whole
// timeline has been looked at.
type Guarantees struct {
	Markers []GuaranteeMarker `json:"markers"`
	Done    bool              `json:"done"`
	Error   string            `json:"error,omitempty"`
}

// guarantees is the markers' computation for one fork of the timeline.
type guarantees struct {
	key  string
	r    *guarantee.Runner
	done bool
	err  error
}

func (s *Session) guaranteeKey() string {
	return fmt.Sprint(s.P.Seed(), s.P.Log())
}

// Guarantees returns the markers of the current fork. The first call for a fork starts
// their computation (a second run of the scenario, with the user's commands), which
// ComputeGuarantees carries on between frames; until it is done the list is partial.
func (s *Session) Guarantees() Guarantees {
	if k := s.guaranteeKey(); s.g == nil || s.g.key != k {
		s.g = &guarantees{key: k}
		s.g.r, s.g.err = guarantee.Start(s.P.Scenario(), s.P.Seed(), append([]player.UserAction(nil), s.P.Log()...))
		s.g.done = s.g.err != nil
	}
	out := Guarantees{Markers: []GuaranteeMarker{}, Done: s.g.done}
	if s.g.err != nil {
		out.Error = s.g.err.Error()
	}
	if s.g.r == nil {
		return out
	}
	for _, m := range s.g.r.Markers() {
		out.Markers = append(out.Markers, GuaranteeMarker{T: float64(m.T) / 1000, Kind: m.Kind, Held: m.Held, Object: m.Object, Text: m.Text, Why: m.Why})
	}
	return out
}

// ComputeGuarantees runs one slice of at most budget reconciles (negative: all) of the
// markers' computation started by Guarantees, and reports whether there is more to do.
func (s *Session) ComputeGuarantees(budget int) bool {
	if s.g == nil || s.g.done || s.g.key != s.guaranteeKey() {
		return false
	}
	s.g.done, s.g.err = s.g.r.Advance(budget)
	if s.g.err != nil {
		s.g.done = true
	}
	return !s.g.done
}
