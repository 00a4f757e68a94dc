package player

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// testScenario is the rolling update of scenarios/rolling-update.yaml built in Go, plus node
// failures and captions, so the timeline changes the store even before every controller
// exists.
func testScenario(t testing.TB) *scenario.Scenario {
	t.Helper()
	var nodes []*api.Node
	for i := 1; i <= 3; i++ {
		nodes = append(nodes, &api.Node{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Node"},
			ObjectMeta: api.ObjectMeta{Name: fmt.Sprintf("node-%d", i),
				Labels: map[string]string{api.LabelZone: fmt.Sprintf("zone-%c", 'a'+i-1)}},
			Status: api.NodeStatus{Capacity: api.ResourceList{"cpu": mustQ(t, "4"), "memory": mustQ(t, "8Gi"), "pods": mustQ(t, "110")},
				Allocatable: api.ResourceList{"cpu": mustQ(t, "4"), "memory": mustQ(t, "8Gi"), "pods": mustQ(t, "110")}}})
	}
	labels := map[string]string{"app": "web"}
	d := &api.Deployment{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: api.ObjectMeta{Name: "web", Namespace: "default", Labels: labels},
		Spec: api.DeploymentSpec{Replicas: api.Ptr[int32](4), Selector: &api.LabelSelector{MatchLabels: labels},
			Template: api.PodTemplateSpec{ObjectMeta: api.ObjectMeta{Labels: labels},
				Spec: api.PodSpec{Containers: []api.Container{{Name: "web", Image: "web:1.0"}}}}}}
	sec := func(n int64) api.Time { return api.Time(api.Seconds(n)) }
	return &scenario.Scenario{Name: "test", Seed: 7, Nodes: nodes,
		Config: &api.ClusterConfig{Images: map[string]api.ImageBehavior{
			"web:1.0": {Pull: 2 * api.Second, Start: 3 * api.Second},
			"web:2.0": {Pull: 2 * api.Second, Start: 3 * api.Second}}},
		Manifests: []scenario.Manifest{{Object: d, Line: 1}},
		Timeline: []scenario.Step{
			{At: 0, Command: "apply all"},
			{At: 0, Command: "caption start"},
			{At: sec(12), Command: "fail node/node-3"},
			{At: sec(30), Command: "kubectl set image deployment/web web=web:2.0"},
			{At: sec(33), Command: "caption rolling"},
			{At: sec(41), Command: "recover node/node-3"},
			{At: sec(52), Command: "caption done"},
		}}
}

func mustQ(t testing.TB, s string) api.Quantity {
	q, err := api.ParseQuantity(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// dump renders every object in the store, sorted, so two states compare as strings.
func dump(t testing.TB, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	for _, k := range s.Kinds() {
		for _, o := range s.List(k, "") {
			j, err := json.Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %s\n", k, j)
		}
	}
	fmt.Fprintf(&b, "rv %d\n", s.ResourceVersion())
	return b.String()
}

func newPlayer(t testing.TB) *Player {
	t.Helper()
	p, err := New(testScenario(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func seek(t testing.TB, p *Player, ms int64) {
	t.Helper()
	if err := p.Seek(api.Time(ms)); err != nil {
		t.Fatalf("Seek(%d): %v", ms, err)
	}
	if p.Now() != api.Time(ms) {
		t.Fatalf("Seek(%d): Now() = %d", ms, p.Now())
	}
}

// TestSeekBackThenForwardIsIdentical plays a timeline once, remembering the state and the
// past records at many moments, then visits those moments again in a scrambled order
// (backward jumps restore a snapshot and replay) and expects identical states.
func TestSeekBackThenForwardIsIdentical(t *testing.T) {
	p := newPlayer(t)
	type seen struct {
		state string
		past  int
	}
	first := map[int64]seen{}
	var times []int64
	for ms := int64(0); ms <= 60_000; ms += 700 {
		seek(t, p, ms)
		first[ms] = seen{dump(t, p.Cluster().Store()), len(p.Past())}
		times = append(times, ms)
	}
	all := append([]trace.Record(nil), p.Records()...)
	// Snapshots are taken at instants, at least SnapshotEvery apart; the timeline has
	// instants at 0, 12, 30, 33, 41 and 52s at least.
	if len(p.snaps) < 5 {
		t.Errorf("after 60s the player holds %d snapshots, want >= 5", len(p.snaps))
	}
	for i := 2; i < len(p.snaps); i++ {
		if d := p.snaps[i].s.Time().Sub(p.snaps[i-1].s.Time()); d < SnapshotEvery {
			t.Errorf("snapshots %d and %d are %s apart, want >= %s", i-1, i, d, SnapshotEvery)
		}
	}
	// A fixed scramble: back, forward, back again, and exact snapshot times.
	order := []int64{30_100, 0, 59_500, 700, 35_000, 35_000, 12_600, 60_000, 5_600, 41_300}
	for i := 0; i < len(times); i += 7 {
		order = append(order, times[len(times)-1-i], times[i])
	}
	for _, ms := range order {
		ms -= ms % 700
		seek(t, p, ms)
		want := first[ms]
		if got := dump(t, p.Cluster().Store()); got != want.state {
			t.Fatalf("state at %dms after seeking differs from the first visit:\n--- first\n%s\n--- again\n%s", ms, want.state, got)
		}
		if len(p.Past()) != want.past {
			t.Fatalf("at %dms: %d past records, first visit had %d", ms, len(p.Past()), want.past)
		}
	}
	if !reflect.DeepEqual(p.Records(), all) {
		t.Errorf("seeking changed the known timeline")
	}
}

// TestForkDiscardsFuture acts at a past moment: the user commands after it are dropped, the
// records after it are recomputed, and the scenario's own timeline continues.
func TestForkDiscardsFuture(t *testing.T) {
	p := newPlayer(t)
	seek(t, p, 25_000)
	if _, err := p.Do("fail node/node-1"); err != nil {
		t.Fatal(err)
	}
	seek(t, p, 60_000)
	if !failed(p, "node-1") {
		t.Fatal("node-1 should be failed at 60s after the user failed it at 25s")
	}
	// Fork at 20s: the 25s command belongs to the discarded future.
	seek(t, p, 20_000)
	out, err := p.Do("fail node/node-2")
	if err != nil {
		t.Fatal(err)
	}
	if out.Error != "" {
		t.Fatalf("fail node/node-2: %s", out.Error)
	}
	if got, want := p.Log(), []UserAction{{20_000, "fail node/node-2"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("log after fork = %v, want %v", got, want)
	}
	for _, r := range p.Records() {
		if r.T > 20_000 {
			t.Fatalf("record at %dms survived the fork at 20s: %s", r.T, trace.TextLine(r))
		}
	}
	seek(t, p, 60_000)
	if failed(p, "node-1") {
		t.Error("node-1 failed at 60s: the discarded future's command still ran")
	}
	if !failed(p, "node-2") {
		t.Error("node-2 should be failed at 60s")
	}
	var captions []string
	for _, r := range p.Records() {
		if r.Type == trace.TypeCaption {
			captions = append(captions, r.Caption)
		}
	}
	if got := strings.Join(captions, ","); got != "start,rolling,done" {
		t.Errorf("scenario captions after the fork = %q, want the scenario's own timeline start,rolling,done", got)
	}
	// The fork is part of the timeline: going back before it and forward again keeps it,
	// and gives the same state as the first visit.
	at60 := dump(t, p.Cluster().Store())
	seek(t, p, 3_000)
	if failed(p, "node-2") {
		t.Error("node-2 failed at 3s, before the user's command at 20s")
	}
	seek(t, p, 20_000)
	if !failed(p, "node-2") {
		t.Error("at exactly 20s the user's command should have run")
	}
	seek(t, p, 60_000)
	if got := dump(t, p.Cluster().Store()); got != at60 {
		t.Errorf("state at 60s differs after seeking across the fork point:\n%s\n---\n%s", at60, got)
	}
}

// TestForkAtSnapshotTime forks exactly at a periodic snapshot's time after having replayed
// to it, and twice at the same instant.
func TestForkAtSnapshotTime(t *testing.T) {
	p := newPlayer(t)
	seek(t, p, 40_000)
	seek(t, p, 10_000) // a snapshot time: the engine is restored to it
	if _, err := p.Do("fail node/node-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Do("fail node/node-2"); err != nil {
		t.Fatal(err)
	}
	seek(t, p, 11_000)
	if !failed(p, "node-1") || !failed(p, "node-2") {
		t.Fatal("both commands at 10s should hold at 11s")
	}
	seek(t, p, 0)
	seek(t, p, 10_000)
	if !failed(p, "node-1") || !failed(p, "node-2") {
		t.Fatal("both commands at 10s should hold at 10s after seeking back to 0 and forward")
	}
	if n := len(p.Log()); n != 2 {
		t.Errorf("log has %d commands, want 2", n)
	}
}

func failed(p *Player, node string) bool {
	n, ok := store.GetAs[*api.Node](p.Cluster().Store(), "Node", node)
	return ok && n.Annotations[cluster.FailedAnnotation] == "true"
}

// TestReplayFromShare rebuilds a player from a share state and expects the live player's
// state and timeline.
func TestReplayFromShare(t *testing.T) {
	live := newPlayer(t)
	seek(t, live, 8_000)
	live.Do("fail node/node-2")
	seek(t, live, 15_500)
	live.Do("recover node/node-2")
	seek(t, live, 37_250)
	sh := Share{Scenario: "test", Seed: 0, T: live.Now(), Speed: 2, Actions: live.Log()}
	dec, err := Decode(sh.Encode())
	if err != nil {
		t.Fatal(err)
	}
	again, err := Replay(testScenario(t), dec.Seed, dec.Actions, dec.T)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := dump(t, live.Cluster().Store()), dump(t, again.Cluster().Store()); a != b {
		t.Fatalf("replayed state differs:\n%s\n---\n%s", a, b)
	}
	if !reflect.DeepEqual(live.Past(), again.Past()) {
		t.Errorf("replayed past records differ")
	}
}

// TestStepStopsAtVisibleChange: Step lands on an instant that wrote records.
func TestStepStopsAtVisibleChange(t *testing.T) {
	p := newPlayer(t)
	seek(t, p, 12_500)
	ok, err := p.Step()
	if err != nil || !ok {
		t.Fatalf("Step = %v, %v", ok, err)
	}
	if p.Now() <= 12_500 {
		t.Fatalf("Step did not move forward: now %d", p.Now())
	}
	last := p.Past()[len(p.Past())-1]
	if last.T != p.Now() {
		t.Errorf("Step stopped at %dms but the last record is at %dms", p.Now(), last.T)
	}
	for _, r := range p.Records() {
		if r.T > 12_500 && r.T < p.Now() {
			t.Errorf("Step skipped a record at %dms: %s", r.T, trace.TextLine(r))
		}
	}
}

// BenchmarkSeekBack measures a backward seek (restore + replay) in a timeline played to 60s.
func BenchmarkSeekBack(b *testing.B) {
	p := newPlayer(b)
	seek(b, p, 60_000)
	b.ResetTimer()
	for i := range b.N {
		seek(b, p, int64(4_999+(i%11)*5_000))
		seek(b, p, 60_000)
	}
}

// TestReplayRefusesTimesPastTheEnd: a share may reach what the page could have shown: the
// scenario's end, or 30 s after each user command. Anything later (a hand-made link) is
// refused before any replay, so even a 24 h time costs nothing.
// asksForHours reports whether a share's time or a command's lies an hour or more in.
func asksForHours(log []UserAction, t api.Time) bool {
	for _, a := range log {
		t = max(t, a.At)
	}
	return t >= api.Time(api.Hour)
}

func TestReplayRefusesTimesPastTheEnd(t *testing.T) {
	sc := testScenario(t) // no until: ends 10 s after its last step, at 62 s
	if got := End(sc, nil); got != 62_000 {
		t.Fatalf("End = %d, want 62000", got)
	}
	cmd := func(at api.Time) UserAction { return UserAction{At: at, Command: "fail node/node-2"} }
	for _, c := range []struct {
		log  []UserAction
		t    api.Time
		want string // "" when accepted
	}{
		{nil, 62_000, ""},
		{nil, 62_001, `share: the time 62.001s is outside scenario "test", which ends at 62s`},
		{nil, api.Time(scenario.MaxUntil), `share: the time 86400s is outside scenario "test", which ends at 62s`},
		{nil, -1, "outside scenario"},
		{[]UserAction{cmd(62_000), cmd(92_000)}, 122_000, ""},
		{[]UserAction{cmd(62_000), cmd(92_000)}, 122_001, "which ends at 122s"},
		{[]UserAction{cmd(62_001)}, 0, `share: user command 1 ("fail node/node-2") at 62.001s is after the end of scenario "test" (62s)`},
		{[]UserAction{cmd(62_000), cmd(92_001)}, 0, "user command 2 (\"fail node/node-2\") at 92.001s is after the end"},
		{[]UserAction{cmd(62_000), cmd(api.Time(scenario.MaxUntil))}, 0, "user command 2"},
		{[]UserAction{cmd(5_000), cmd(4_000)}, 0, "user command 2 (\"fail node/node-2\") at 4s is before the previous one"},
		{[]UserAction{cmd(-1)}, 0, "before the start"},
	} {
		start := time.Now()
		p, err := Replay(sc, 0, c.log, c.t)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Replay(%v, t=%d): %v", c.log, c.t, err)
		case c.want == "" && p.Now() != c.t:
			t.Errorf("Replay(%v, t=%d) is at %d", c.log, c.t, p.Now())
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Replay(%v, t=%d): error %v, want %q", c.log, c.t, err, c.want)
		case c.want != "" && asksForHours(c.log, c.t) && time.Since(start) > time.Second:
			// Replaying 24 h first takes far longer; a wall-clock bound only tells that apart
			// (a refusal just past the end costs what its replay would, under load or not).
			t.Errorf("Replay(%v, t=%d) took %v to refuse: it replayed first", c.log, c.t, time.Since(start))
		}
	}
	// The until of a parsed scenario is its end; the scenario limit caps commands' grace.
	sc.Until = scenario.MaxUntil
	if got := End(sc, []UserAction{cmd(api.Time(scenario.MaxUntil))}); got != api.Time(scenario.MaxUntil) {
		t.Errorf("End with a command at 24 h = %d, want 24 h", got)
	}
}

// TestStepStopsAtEnd: Step never moves past End, so the page's moment (and its share link)
// always lies within the timeline.
func TestStepStopsAtEnd(t *testing.T) {
	p := newPlayer(t)
	end := p.End()
	seek(t, p, int64(end)-500)
	for i := 0; i < 100 && p.Now() < end; i++ {
		if _, err := p.Step(); err != nil {
			t.Fatal(err)
		}
		if p.Now() > end {
			t.Fatalf("Step moved to %d ms, past the end %d", p.Now(), end)
		}
	}
	if p.Now() != end {
		t.Fatalf("stepping from 0.5 s before the end stopped at %d ms, want %d", p.Now(), end)
	}
	if ok, err := p.Step(); ok || err != nil || p.Now() != end {
		t.Errorf("Step at the end = %v, %v, now %d; want false at %d", ok, err, p.Now(), end)
	}
	// A command at the end extends it by CommandGrace, and Step goes on.
	if _, err := p.Do("recover node/node-3"); err != nil {
		t.Fatal(err)
	}
	if p.End() != end.Add(CommandGrace) {
		t.Errorf("End after a command at the end = %d, want %d", p.End(), end.Add(CommandGrace))
	}
	if _, err := p.Step(); err != nil || p.Now() <= end {
		t.Errorf("Step after a command at the end: now %d, err %v", p.Now(), err)
	}
}
