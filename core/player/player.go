package player

import (
	"errors"
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/cluster"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/trace"
)

// SnapshotEvery is the virtual-time spacing of the periodic snapshots.
const SnapshotEvery = 5 * api.Second

// SnapshotRecords also triggers a snapshot once this many trace records were written since
// the last one, so replay cost stays bounded in busy stretches (1,000 pods starting).
const SnapshotRecords = 400

// MaxStepInstants bounds how many silent instants Step skips looking for a visible change.
const MaxStepInstants = 10_000

// UserAction is a command the viewer ran at a moment of the timeline.
type UserAction struct {
	At      api.Time
	Command string
}

type snap struct {
	s    *sim.Snapshot
	nall int // records of the timeline the snapshot's state has produced
}

// Player drives one cluster along its timeline. It is not safe for concurrent use.
type Player struct {
	sc   *scenario.Scenario
	seed uint64
	c    *cluster.Cluster
	// all is the whole known timeline of the current fork; the engine's current state has
	// produced all[:pos].
	all   []trace.Record
	pos   int
	snaps []snap // sorted by time
	log   []UserAction
	forks int    // user commands run (Do): a scout started before the last one is stale
	ahead *scout // computes past the frontier while paused (ComputeAhead)
}

// New builds the cluster of sc at t=0. A non-zero seed overrides the scenario's.
func New(sc *scenario.Scenario, seed uint64) (*Player, error) {
	if sc == nil {
		return nil, errors.New("player: no scenario")
	}
	c, err := cluster.New(sc, cluster.Options{Seed: seed, RecordState: true})
	if err != nil {
		return nil, fmt.Errorf("player: building the cluster of %s: %w", sc.Name, err)
	}
	p := &Player{sc: sc, seed: seed, c: c}
	p.snaps = []snap{{s: c.Snapshot()}}
	return p, nil
}

// Scenario returns the scenario being played.
func (p *Player) Scenario() *scenario.Scenario { return p.sc }

// Seed returns the seed in effect (the override, else the scenario's).
func (p *Player) Seed() uint64 {
	if p.seed != 0 {
		return p.seed
	}
	return p.sc.Seed
}

// Cluster returns the running cluster; its store is the state at Now. Read it, do not write:
// changes go through Do so they become part of the timeline.
func (p *Player) Cluster() *cluster.Cluster { return p.c }

// Now returns the displayed time.
func (p *Player) Now() api.Time { return p.c.Now() }

// Err returns the engine's error (a controller bug or livelock), if any.
func (p *Player) Err() error { return p.c.Err() }

// Records returns the whole known timeline of the current fork, including records later than
// Now that an earlier visit computed. Do not modify it.
func (p *Player) Records() []trace.Record { return p.all }

// Past returns the records up to the displayed time.
func (p *Player) Past() []trace.Record { return p.all[:p.pos] }

// Horizon returns the latest time the timeline has been computed to.
func (p *Player) Horizon() api.Time {
	h := p.c.Now()
	if n := len(p.all); n > 0 && p.all[n-1].T > h {
		h = p.all[n-1].T
	}
	if s := p.snaps[len(p.snaps)-1].s.Time(); s > h {
		h = s
	}
	return h
}

// Log returns the user commands of the current fork, in order.
func (p *Player) Log() []UserAction { return p.log }

// CommandGrace is how far past its last user command the timeline reaches, so the viewer
// sees what the command did even at the scenario's end.
const CommandGrace = 30 * api.Second

// End is the end of the timeline the page shows for sc with the user commands log: the
// scenario's until (for a scenario built without one, 10 s after its last step and at least
// 60 s), or CommandGrace after the last user command when that is later, and never past
// scenario.MaxUntil. The page never goes past it (Step stops there), so every share it makes
// lies within it, and Replay refuses shares that do not.
func End(sc *scenario.Scenario, log []UserAction) api.Time {
	end := api.Time(sc.Until)
	if end == 0 {
		for _, st := range sc.Timeline {
			end = max(end, st.At.Add(10*api.Second))
		}
		end = max(end, api.Time(60*api.Second))
	}
	for _, a := range log {
		end = max(end, a.At.Add(CommandGrace))
	}
	return min(end, api.Time(scenario.MaxUntil))
}

// End is the end of the current fork's timeline (see End).
func (p *Player) End() api.Time { return End(p.sc, p.log) }

// Seek moves the displayed time to t (clamped at 0), restoring a snapshot and replaying when
// t is behind the engine.
func (p *Player) Seek(t api.Time) error {
	if err := p.finish(); err != nil {
		return err
	}
	if t < 0 {
		t = 0
	}
	now := p.c.Now()
	// The latest snapshot at or before t. Restore it when going back, or when it lies ahead
	// of the engine (cheaper than replaying, and the only correct start when it is a fork
	// point: the user command it holds is not in the engine's queue yet).
	i := len(p.snaps) - 1
	for i > 0 && p.snaps[i].s.Time() > t {
		i--
	}
	st := p.snaps[i].s.Time()
	// At the snapshot's own time, the engine may hold the state without a fork's user
	// command (replayed to that time from an earlier snapshot): it has produced exactly the
	// snapshot's records and has nothing left queued at that time.
	unforked := st == now && p.pos == p.snaps[i].nall && !p.pendingAt(now)
	if t < now || st > now || unforked {
		p.c.Restore(p.snaps[i].s)
		p.pos = p.snaps[i].nall
	}
	return p.advance(t)
}

// pendingAt reports whether the engine still has queued work at or before t (a fork
// snapshot holds its user command queued).
func (p *Player) pendingAt(t api.Time) bool {
	next, ok := p.c.NextTime()
	return ok && next <= t
}

// advance runs every instant up to and including t, then sets the clock to t.
func (p *Player) advance(t api.Time) error {
	for {
		next, ok := p.c.NextTime()
		if !ok || next > t {
			break
		}
		if err := p.step(); err != nil {
			return err
		}
	}
	n0 := len(p.c.Records())
	err := p.c.AdvanceTo(t)
	p.take(n0)
	return err
}

// step runs one engine instant and files its records.
func (p *Player) step() error {
	_, err := p.slice(-1)
	return err
}

// slice runs at most budget reconciles (negative: no bound) of the engine's next instant,
// files their records, and reports whether the instant finished; a finished instant may
// take a snapshot.
func (p *Player) slice(budget int) (bool, error) {
	n0 := len(p.c.Records())
	done, err := p.c.StepBudget(budget)
	p.take(n0)
	if err != nil || !done {
		return done, err
	}
	p.maybeSnapshot(p.c, p.pos)
	return true, nil
}

// maybeSnapshot takes a snapshot of c, whose state has produced the timeline's first pos
// records, after a finished instant at the frontier: SnapshotEvery after the last one, or
// sooner once SnapshotRecords were written since.
func (p *Player) maybeSnapshot(c *cluster.Cluster, pos int) {
	last := p.snaps[len(p.snaps)-1]
	busy := pos-last.nall >= SnapshotRecords && c.Now() > last.s.Time()
	if pos == len(p.all) && (c.Now() >= last.s.Time().Add(SnapshotEvery) || busy) {
		p.snaps = append(p.snaps, snap{s: c.Snapshot(), nall: pos})
	}
}

// SeekSlice works toward Seek(t) in slices the page runs between frames, so one big instant
// (a 5,000-replica apply) never freezes the tab: each call runs at most budget reconciles of
// one instant and reports whether the displayed time has reached t. Slicing does not change
// the timeline: the records are those Seek(t) writes. Any other call (Seek, Step, Do)
// finishes the instant in progress first.
func (p *Player) SeekSlice(t api.Time, budget int) (bool, error) {
	if !p.c.InInstant() {
		if next, ok := p.c.NextTime(); !ok || next > t || t < p.c.Now() {
			return true, p.Seek(t)
		}
	}
	_, err := p.slice(budget)
	return false, err
}

// Computing reports whether an instant is half-run (SeekSlice), and how many reconciles
// are queued in it: the page's progress.
func (p *Player) Computing() (bool, int) { return p.c.InInstant(), p.c.Pending() }

// finish completes an instant SeekSlice left half-run.
func (p *Player) finish() error {
	for p.c.InInstant() {
		if _, err := p.slice(-1); err != nil {
			return err
		}
	}
	return nil
}

// take files the records the engine wrote since it had n0: a replay reproduces known records,
// the frontier appends new ones.
func (p *Player) take(n0 int) { p.pos = p.file(p.c, n0, p.pos) }

// file files the records c wrote since it had n0, its state having produced the timeline's
// first pos records, and returns the new pos: records already known are skipped (a replay
// reproduces them), records past the frontier are appended.
func (p *Player) file(c *cluster.Cluster, n0, pos int) int {
	recs := c.Records()
	if n0 > len(recs) {
		n0 = len(recs)
	}
	for _, r := range recs[n0:] {
		if pos == len(p.all) {
			p.all = append(p.all, r)
		}
		pos++
	}
	return pos
}

// Step moves to the next instant at which something visible happens (any trace record), and
// reports whether there was one. It does not go past End: with no change left before it,
// it moves to End.
func (p *Player) Step() (bool, error) {
	if err := p.finish(); err != nil {
		return false, err
	}
	end := p.End()
	for range MaxStepInstants {
		next, ok := p.c.NextTime()
		if !ok || next > end {
			if p.Now() < end {
				return false, p.Seek(end)
			}
			return false, nil
		}
		pos := p.pos
		if err := p.Seek(next); err != nil {
			return false, err
		}
		if p.pos > pos {
			return true, nil
		}
	}
	return false, nil
}

// Do runs a user command at the displayed time. The known future after this moment is
// discarded: later user commands, snapshots and records. It returns the command's record.
func (p *Player) Do(command string) (*trace.Action, error) {
	if err := p.finish(); err != nil {
		return nil, err
	}
	if p.c.Err() != nil {
		return nil, p.c.Err()
	}
	t := p.c.Now()
	p.forks++
	p.all = p.all[:p.pos:p.pos]
	keep := p.snaps[:1]
	for _, s := range p.snaps[1:] {
		if s.s.Time() < t {
			keep = append(keep, s)
		}
	}
	p.snaps = keep
	var log []UserAction
	for _, a := range p.log {
		if a.At <= t {
			log = append(log, a)
		}
	}
	p.log = append(log, UserAction{At: t, Command: command})
	p.c.DropActionsAfter("user", t)
	p.c.Schedule(sim.Action{At: t, Source: "user", Command: command})
	p.snaps = append(p.snaps, snap{s: p.c.Snapshot(), nall: p.pos})
	start := p.pos
	if err := p.advance(t); err != nil {
		return nil, err
	}
	for _, r := range p.all[start:p.pos] {
		if r.Type == trace.TypeAction && r.Action.Source == "user" && r.Action.Command == command {
			return r.Action, nil
		}
	}
	return nil, fmt.Errorf("player: the command %q did not run", command)
}

// Replay rebuilds a player from a share state's scenario: it runs the user commands of the
// log at their times and seeks to t. Before any work it checks that every time lies within
// what the page could have shown (End): a command at most End of the commands before it,
// t at most End of them all.
func Replay(sc *scenario.Scenario, seed uint64, log []UserAction, t api.Time) (*Player, error) {
	if sc == nil {
		return nil, errors.New("player: no scenario")
	}
	for i, a := range log {
		switch {
		case a.At < 0:
			return nil, fmt.Errorf("share: user command %d (%q) at %ss is before the start", i+1, a.Command, a.At.SecondsString())
		case i > 0 && a.At < log[i-1].At:
			return nil, fmt.Errorf("share: user command %d (%q) at %ss is before the previous one", i+1, a.Command, a.At.SecondsString())
		case a.At > End(sc, log[:i]):
			return nil, fmt.Errorf("share: user command %d (%q) at %ss is after the end of scenario %q (%ss)",
				i+1, a.Command, a.At.SecondsString(), sc.Name, End(sc, log[:i]).SecondsString())
		}
	}
	if end := End(sc, log); t < 0 || t > end {
		return nil, fmt.Errorf("share: the time %ss is outside scenario %q, which ends at %ss", t.SecondsString(), sc.Name, end.SecondsString())
	}
	p, err := New(sc, seed)
	if err != nil {
		return nil, err
	}
	for _, a := range log {
		if err := p.Seek(a.At); err != nil {
			return nil, err
		}
		if _, err := p.Do(a.Command); err != nil {
			return nil, err
		}
	}
	return p, p.Seek(t)
}
