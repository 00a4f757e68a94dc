package session

import (
	"errors"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
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
