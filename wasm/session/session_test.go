package session

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/player"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
)

func load(t *testing.T) *Session {
	t.Helper()
	data, err := scenarios.Read("rolling-update.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load("rolling-update.yaml", string(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoadErrorHasLine(t *testing.T) {
	s := load(t)
	bad := strings.Replace(s.Text, "replicas: 4", "replicas: four", 1)
	_, err := Load("edited.yaml", bad, 0)
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load(bad) error = %v, want a *LoadError", err)
	}
	want := 0
	for i, l := range strings.Split(bad, "\n") {
		if strings.Contains(l, "replicas: four") {
			want = i + 1
		}
	}
	if len(le.Lines) == 0 || le.Lines[0].Line != want {
		t.Fatalf("error lines = %+v, want line %d (%s)", le.Lines, want, le.Message)
	}
}

func TestTickAdvancesBySpeedAndStopsAtEnd(t *testing.T) {
	s := load(t)
	s.Playing = true
	s.SetSpeed(4)
	if err := s.Tick(100); err != nil {
		t.Fatal(err)
	}
	if s.P.Now() != 400 {
		t.Errorf("after 100 ms at 4x, t = %d ms, want 400", s.P.Now())
	}
	s.SetSpeed(1000)
	if s.Speed != 100 {
		t.Errorf("speed clamps to 100, got %v", s.Speed)
	}
	for range 200 {
		s.Tick(250)
	}
	if s.Playing || s.P.Now() != s.End() {
		t.Errorf("after playing past the end: playing=%v t=%d end=%d", s.Playing, s.P.Now(), s.End())
	}
}

func TestReadOnlyCommandsDoNotFork(t *testing.T) {
	s := load(t)
	s.P.Seek(api.Time(10 * api.Second))
	out, err := s.Run("get nodes")
	if err != nil {
		t.Fatalf("get nodes: %v", err)
	}
	if !strings.Contains(out, "node-1") {
		t.Errorf("get nodes printed %q", out)
	}
	if n := len(s.P.Log()); n != 0 {
		t.Errorf("a read-only command entered the timeline (%d user actions)", n)
	}
	if _, err := s.Run("fail node/node-2"); err != nil {
		t.Fatal(err)
	}
	if n := len(s.P.Log()); n != 1 {
		t.Errorf("fail node/node-2 should fork the timeline; log has %d", n)
	}
	if _, err := s.Run("kubectl frobnicate"); err == nil {
		t.Errorf("an unknown command should be an error")
	}
	ev := s.Events(50)
	if len(ev) == 0 || !strings.Contains(ev[len(ev)-1].Message, "frobnicate") {
		t.Errorf("the last event-panel line should be the user's command, got %+v", ev)
	}
}

func TestYAMLAndObjects(t *testing.T) {
	s := load(t)
	s.P.Seek(api.Time(5 * api.Second))
	var found bool
	for _, o := range s.Objects() {
		if o.Ref == "Deployment/default/web" {
			found = true
		}
	}
	if !found {
		t.Fatalf("Objects() has no Deployment/default/web: %+v", s.Objects())
	}
	y, err := s.YAML("Deployment/default/web")
	if err != nil || !strings.Contains(y, "kind: Deployment") || !strings.Contains(y, "replicas: 4") {
		t.Errorf("YAML = %q, %v", y, err)
	}
	if _, err := s.YAML("Pod/default/nope"); err == nil {
		t.Error("missing object should be an error")
	}
}

// With nothing selected, Why? tells the workloads' story; a selected pod shows its own
// scheduling and lifecycle, events included.
func TestWhyWithoutSelectionShowsTheWorkloads(t *testing.T) {
	s := load(t)
	if err := s.P.Seek(40_000); err != nil {
		t.Fatal(err)
	}
	story := s.Why("", 50)
	if len(story) == 0 {
		t.Fatal("no explanations at t=40 s of the rolling update")
	}
	for _, e := range story {
		if kind, _, _ := strings.Cut(e.Object, "/"); !storyKinds[kind] {
			t.Errorf("unselected Why? shows %s: %s", e.Object, e.Message)
		}
	}
	var pod string
	for _, r := range s.P.Past() {
		if r.Explain != nil && strings.HasPrefix(r.Explain.Object, "Pod/") {
			pod = r.Explain.Object
			break
		}
	}
	if pod == "" {
		t.Fatal("no pod explanation in the trace")
	}
	if got := s.Why(pod, 50); len(got) == 0 {
		t.Errorf("Why(%s) is empty", pod)
	}
}

// TestOpenShareRefusesTimesPastTheEnd: a hand-made share whose time lies past the scenario's
// end (up to the 24 h that Decode lets through) is refused at once, not replayed.
func TestOpenShareRefusesTimesPastTheEnd(t *testing.T) {
	data, err := scenarios.Read("rolling-update.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range []player.Share{
		{Scenario: "rolling-update.yaml", T: api.Time(scenario.MaxUntil), Speed: 1},
		{Scenario: "rolling-update.yaml", T: 90_001, Speed: 1},
		{Scenario: "rolling-update.yaml", T: 0, Speed: 1, Actions: []player.UserAction{{At: api.Time(scenario.MaxUntil), Command: "fail node/node-1"}}},
	} {
		start := time.Now()
		_, err := OpenShare(sh, string(data))
		if err == nil || !strings.Contains(err.Error(), `scenario "rolling-update"`) {
			t.Errorf("OpenShare(t=%d, %v): error %v, want a refusal naming the scenario's end", sh.T, sh.Actions, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("OpenShare(t=%d) took %v to refuse", sh.T, d)
		}
	}
}

// TestShareOfAnyReachableMomentOpens: whatever the viewer does (play to the end, step past
// it, run commands there, step on), the moment shown lies within End, and its share opens.
func TestShareOfAnyReachableMomentOpens(t *testing.T) {
	s := load(t)
	s.Playing = true
	s.SetSpeed(100)
	for range 100 {
		s.Tick(250)
	}
	for i := range 6 {
		if _, err := s.P.Step(); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			if _, err := s.Run("kubectl scale deployment/web --replicas=" + strconv.Itoa(2+i)); err != nil {
				t.Fatal(err)
			}
		}
		if s.P.Now() > s.End() {
			t.Fatalf("step %d: t=%d past the end %d", i, s.P.Now(), s.End())
		}
	}
	if s.P.Now() <= 90_000 {
		t.Fatalf("commands at the end did not extend the timeline: t=%d", s.P.Now())
	}
	sh, err := player.Decode(s.Share())
	if err != nil {
		t.Fatal(err)
	}
	again, err := OpenShare(sh, s.Text)
	if err != nil {
		t.Fatalf("the share of a reachable moment was refused: %v", err)
	}
	if again.P.Now() != s.P.Now() || len(again.P.Log()) != len(s.P.Log()) {
		t.Errorf("the share opened at t=%d with %d commands, want t=%d with %d", again.P.Now(), len(again.P.Log()), s.P.Now(), len(s.P.Log()))
	}
}

// TestSeekClamps: the bridge's seek (slider, keys, the t URL option) stays within 0..End for
// any number, without wrapping around in the float-to-integer conversion.
func TestSeekClamps(t *testing.T) {
	s := load(t)
	for _, c := range []struct {
		sec  float64
		want api.Time
	}{{20, 20_000}, {1e300, s.End()}, {math.Inf(1), s.End()}, {9.3e15, s.End()}, {-5, 0}, {math.Inf(-1), 0}, {12.3456, 12_345}} {
		if err := s.Seek(c.sec); err != nil || s.P.Now() != c.want {
			t.Errorf("Seek(%v): t=%d, err %v; want %d", c.sec, s.P.Now(), err, c.want)
		}
	}
	if err := s.Seek(math.NaN()); err == nil {
		t.Errorf("Seek(NaN) accepted")
	}
	s.SetSpeed(math.NaN())
	if s.Speed != 1 {
		t.Errorf("SetSpeed(NaN) = %v, want 1", s.Speed)
	}
}

// TestWhyFoldsRepeats: the StatefulSet controller says "waiting for mysql-0 ..." at every
// sync; Why? shows it once with its count and first time (issue #16).
func TestWhyFoldsRepeats(t *testing.T) {
	data, err := scenarios.Read("mysql.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load("mysql.yaml", string(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.P.Seek(28_000); err != nil {
		t.Fatal(err)
	}
	folded := false
	why := s.Why("", 60)
	for i, e := range why {
		if i > 0 && e.Message == why[i-1].Message && e.Object == why[i-1].Object {
			t.Errorf("Why? repeats %q", e.Message)
		}
		if strings.Contains(e.Message, "waiting for mysql-0") {
			folded = e.Count > 1 && e.First < e.T
		}
	}
	if !folded {
		t.Errorf("the repeated waiting line is not folded with a count: %+v", why)
	}
}

// TestLoadErrorLineOnce: the error beside its line number does not repeat "file:line".
func TestLoadErrorLineOnce(t *testing.T) {
	s := load(t)
	_, err := Load("edited.yaml", strings.Replace(s.Text, "replicas: 4", "replicas: four", 1), 0)
	var le *LoadError
	if !errors.As(err, &le) || len(le.Lines) == 0 {
		t.Fatalf("Load(bad) = %v", err)
	}
	if m := le.Lines[0].Message; strings.Contains(m, "edited.yaml") || !strings.HasPrefix(m, `Deployment "web": spec.replicas`) {
		t.Errorf("error line message = %q, want it without the file and line", m)
	}
}

// TestLoadShowsTheFirstMoment: a loaded scenario is at its t=0 instant, with its first
// caption (issue #16: the t=0 caption was not shown until the first seek).
func TestLoadShowsTheFirstMoment(t *testing.T) {
	s := load(t)
	if c, at := s.CaptionAt(); c != "Four replicas of web:1.0 start up." || at != 0 {
		t.Errorf("caption after Load = %q at %v, want the t=0 caption", c, at)
	}
	if n := s.P.Cluster().Store().Len("Node"); n == 0 {
		t.Errorf("no nodes after Load")
	}
}

// TestMarks: the slider marks are the timeline's captions and actions, then the user's.
func TestMarks(t *testing.T) {
	s := load(t)
	if err := s.P.Seek(40_000); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run("kubectl scale deployment/web --replicas=2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run("kubectl scale deployment/nope --replicas=2"); err == nil {
		t.Fatal("scaling a missing deployment did not fail")
	}
	var got []string
	for _, m := range s.Marks() {
		got = append(got, fmt.Sprintf("%v %s %s", m.T, m.Kind, m.Label))
	}
	want := []string{"0 action apply all", "0 caption Four replicas of web:1.0 start up.", "30 action kubectl set image deployment/web web=web:2.0",
		"30 caption A new ReplicaSet appears; maxSurge 1 lets it grow while maxUnavailable 1 lets one old pod go.", "40 user kubectl scale deployment/web --replicas=2"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("marks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
