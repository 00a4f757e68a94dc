// Package player is the timeline player the page drives: it loads a scenario, runs its
// cluster, and lets the viewer move the displayed moment anywhere on the timeline.
//
// # Seeking
//
// The player keeps engine snapshots every SnapshotEvery of virtual time or SnapshotRecords
// trace records, whichever comes first (taken the first time the simulation reaches them),
// and one at every user command. Seek(t) restores the
// latest snapshot at or before t when t is behind the engine (or a snapshot lies between the
// engine and t) and replays the instants up to t. Because the engine is deterministic, a
// replay writes exactly the trace records of the first visit; the player keeps one copy of
// the whole known timeline (Records) and knows how much of it the engine has reproduced.
//
// # Forks
//
// Do(command) runs a user command at the displayed time. Everything the player knew about
// the future after that moment is discarded (later user commands, snapshots and records);
// the scenario's own timeline continues. The user command log (At, Command) is part of the
// share state, so a link reproduces the exact moment including the viewer's own actions.
//
// # Share state
//
// Share is the URL-safe encoding of scenario name, seed, time, speed and the user command
// log; Encode and Decode round-trip it exactly, and Decode rejects malformed input with an
// error, never a panic (FuzzDecode).
package player
