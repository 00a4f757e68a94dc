package check

import (
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// Shrink removes timeline steps, objects, nodes and images from a failing model, and cuts
// its duration, for as long as the smaller model still fails with the same signature (kind
// and rule). It spends at most budget runs (default 300) and returns the smallest failing
// model, its failure and the runs spent. Each candidate keeps the seed, so the engine's
// random streams are the same; removing an item changes what happens, and the shrinker keeps
// a cut only when the same rule still breaks.
func Shrink(m *Model, f *Failure, budget int) (*Model, *Failure, int) {
	if budget <= 0 {
		budget = 300
	}
	s := &shrinker{sig: f.Signature(), budget: budget, best: m, bestF: f}
	if f.Kind == KindScenario {
		return m, f, 0 // a generator bug: the full text is the reproduction
	}
	s.cutUntil()
	for changed := true; changed && s.runs < s.budget; {
		changed = false
		changed = s.cutSteps() || changed
		changed = s.cutList(len(s.best.Objects), func(c *Model, i int) { c.Objects = remove(c.Objects, i) }) || changed
		changed = s.cutList(len(s.best.Nodes), func(c *Model, i int) {
			name := c.Nodes[i].Name
			c.Nodes = remove(c.Nodes, i)
			var kept []Step
			for _, st := range c.Steps {
				if !mentionsNode(st, name) {
					kept = append(kept, st)
				}
			}
			c.Steps = kept
		}) || changed
		changed = s.cutList(len(s.best.Images), func(c *Model, i int) { c.Images = remove(c.Images, i) }) || changed
		if changed {
			s.cutUntil()
		}
	}
	return s.best, s.bestF, s.runs
}

type shrinker struct {
	sig    string
	budget int
	runs   int
	best   *Model
	bestF  *Failure
}

// try runs a candidate and keeps it if it fails the same way.
func (s *shrinker) try(c *Model) bool {
	if s.runs >= s.budget {
		return false
	}
	s.runs++
	_, f := runModel(c, s.sig == KindDeterminism+"/"+KindDeterminism)
	if f == nil || f.Signature() != s.sig {
		return false
	}
	s.best, s.bestF = c, f
	return true
}

// cutUntil ends the scenario one second after the failure.
func (s *shrinker) cutUntil() {
	end := api.Duration(s.bestF.At) + api.Second
	end = (end + api.Second - 1) / api.Second * api.Second
	if end >= s.best.Until {
		return
	}
	c := s.best.clone()
	c.Until = end
	var kept []Step
	for _, st := range c.Steps {
		if st.At <= end {
			kept = append(kept, st)
		}
	}
	c.Steps = kept
	s.try(c)
}

// cutSteps removes chunks of steps, halving the chunk size down to single steps (ddmin).
func (s *shrinker) cutSteps() bool {
	changed := false
	for size := max(len(s.best.Steps)/2, 1); size >= 1; size /= 2 {
		for i := 0; i < len(s.best.Steps) && s.runs < s.budget; {
			c := s.best.clone()
			j := min(i+size, len(c.Steps))
			c.Steps = append(c.Steps[:i:i], c.Steps[j:]...)
			if s.try(c) {
				changed = true
				continue // the same index now holds the next chunk
			}
			i += size
		}
		if size == 1 {
			break
		}
	}
	return changed
}

// cutList removes single items, last first, with the given cut.
func (s *shrinker) cutList(n int, cut func(c *Model, i int)) bool {
	changed := false
	for i := n - 1; i >= 0 && s.runs < s.budget; i-- {
		c := s.best.clone()
		cut(c, i)
		if s.try(c) {
			changed = true
		}
	}
	return changed
}

func remove[T any](xs []T, i int) []T { return append(xs[:i:i], xs[i+1:]...) }

func mentionsNode(st Step, name string) bool {
	for _, w := range strings.Fields(st.Arg) {
		if w == name || w == "node/"+name {
			return true
		}
	}
	return false
}
