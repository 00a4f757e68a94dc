package player

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
)

// scout is a second cluster that computes the timeline past its frontier while the viewer
// looks at the present (ComputeAhead), so a later seek restores a snapshot near its target
// instead of computing the whole way there. Controllers keep their state in the store, so a
// fresh cluster restored from a snapshot runs exactly as the one that took it; the scout
// files records and snapshots into the shared timeline by the same rules as the displayed
// cluster (file, maybeSnapshot), and whichever of the two is at the frontier extends it.
type scout struct {
	c    *cluster.Cluster
	pos  int  // records of the timeline the scout's state has produced
	fork int  // the Player's fork count when the scout started
	done bool // nothing is queued before End: the rest of the timeline is silent
}

// ComputeAhead runs at most budget reconciles of the timeline beyond the frontier, up to
// End, and reports whether anything is left to compute. The page calls it between frames
// while paused; it never changes what is displayed. A user command (Do) discards the
// scout's work past the command, as it discards the rest of the old future.
func (p *Player) ComputeAhead(budget int) (bool, error) {
	end := p.End()
	a := p.ahead
	if p.c.Err() != nil || p.Horizon() >= end || (a != nil && a.fork == p.forks && a.done) {
		return false, nil
	}
	// Start (again) from the newest snapshot when there is no scout, a command forked the
	// timeline, or the displayed cluster overtook the scout (it took newer snapshots).
	if a == nil || a.fork != p.forks || (!a.c.InInstant() && a.pos < p.snaps[len(p.snaps)-1].nall) {
		last := p.snaps[len(p.snaps)-1]
		c, err := cluster.New(p.sc, cluster.Options{Seed: p.seed, RecordState: true})
		if err != nil {
			return false, err
		}
		c.Restore(last.s)
		a = &scout{c: c, pos: last.nall, fork: p.forks}
		p.ahead = a
	}
	if next, ok := a.c.NextTime(); !a.c.InInstant() && (!ok || next > end) {
		a.done = true
		return false, nil
	}
	n0 := len(a.c.Records())
	done, err := a.c.StepBudget(budget)
	a.pos = p.file(a.c, n0, a.pos)
	if err != nil {
		// The displayed cluster will meet the same error when it gets there, and report it.
		a.done = true
		return false, nil
	}
	if done {
		p.maybeSnapshot(a.c, a.pos)
	}
	return p.Horizon() < end, nil
}

// KnownTo is how far the timeline is known: its Horizon, or End once the look-ahead found
// nothing queued before it.
func (p *Player) KnownTo() api.Time {
	if a := p.ahead; a != nil && a.fork == p.forks && a.done {
		return p.End()
	}
	return min(p.Horizon(), p.End())
}
