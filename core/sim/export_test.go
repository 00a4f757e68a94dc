package sim

import "github.com/kubesim/kubesim/core/store"

// OfferTo calls controller i's Watch with c, as dispatch would, and reports whether the
// Watch asked for a reconcile, now or later.
func OfferTo(e *Engine, i int, c store.Change) bool {
	seq, work, requeue := e.seq, len(e.work), e.requeue
	e.ctrls[i].Watch(e.ctxs[i], c)
	return e.seq != seq || len(e.work) != work || e.requeue != requeue
}

// Controllers returns the registered controllers, in order.
func Controllers(e *Engine) []Controller { return e.ctrls }
