package view

import "testing"

func TestAnimatorFadesAndMoves(t *testing.T) {
	one := []podSpec{{"a", "node-1", "", 0, "ready"}, {"b", "node-1", "", 0, "ready"}}
	two := []podSpec{{"b", "node-1", "", 0, "ready"}, {"c", "node-1", "", 0, "creating"}}
	var a Animator
	f1 := buildMid(t, fixture(t, 1, one))
	if a.Apply(f1, 0) {
		t.Fatal("the first frame should be drawn as is")
	}
	f2 := buildMid(t, fixture(t, 1, two))
	b2 := *f2.Items["Pod/default/b"]
	target := f2.Rects[b2.Rects[0]]
	if !a.Apply(f2, 1000) {
		t.Fatal("a pod appeared and one left: the animator should be busy")
	}
	// b moved to the first slot: at the start of the move it is still where it was.
	if got, was := f2.Rects[b2.Rects[0]].X, f1.Rects[f1.Items["Pod/default/b"].Rects[0]].X; got != was {
		t.Errorf("b at the start of its move is at x=%v, want its old x=%v", got, was)
	}
	// c fades in from transparent.
	if alpha := f2.Rects[f2.Items["Pod/default/c"].Rects[0]].Fill.A; alpha != 0 {
		t.Errorf("new pod c alpha = %d at its first frame, want 0", alpha)
	}
	// a is gone but drawn as a fading ghost.
	if n := len(f2.Rects); n <= len(buildMid(t, fixture(t, 1, two)).Rects) {
		t.Errorf("no ghost rects for the removed pod a")
	}
	// The ghost lingers at full strength, then fades.
	f2b := buildMid(t, fixture(t, 1, two))
	n0 := len(f2b.Rects)
	a.Apply(f2b, 1000+Linger-100)
	strongest := uint8(0)
	for _, r := range f2b.Rects[n0:] {
		strongest = max(strongest, r.Fill.A, r.Stroke.A)
	}
	if strongest < 250 {
		t.Errorf("the removed pod's ghost is gone or faded %d ms after: it should linger", Linger-100)
	}
	// After the animation everything is at its place, opaque, and the ghost is gone.
	f3 := buildMid(t, fixture(t, 1, two))
	if a.Apply(f3, 1000+Move+FadeOut+10) {
		t.Error("still busy after every animation ended")
	}
	if got := f3.Rects[f3.Items["Pod/default/b"].Rects[0]]; got.X != target.X || got.Fill.A != 255 {
		t.Errorf("b ends at x=%v alpha=%d, want x=%v opaque", got.X, got.Fill.A, target.X)
	}
}
