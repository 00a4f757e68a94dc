package sim

import (
	"container/heap"

	"github.com/kubesim/kubesim/core/api"
)

// item is one entry of the event queue: a timer for (controller, key) or an action.
type item struct {
	At   api.Time
	Seq  uint64
	Ctrl int    // index of the controller for timers, -1 for actions
	Key  string // controller key for timers
	Act  int    // index into Engine.actions for actions
}

// queue is a min-heap by (At, Seq). Seq is unique and increasing, so ties are FIFO and the
// order never depends on the heap's internal layout.
type queue []item

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if q[i].At != q[j].At {
		return q[i].At < q[j].At
	}
	return q[i].Seq < q[j].Seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(item)) }
func (q *queue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

func (q *queue) push(it item) { heap.Push(q, it) }
func (q *queue) pop() item    { return heap.Pop(q).(item) }
func (q queue) peek() (item, bool) {
	if len(q) == 0 {
		return item{}, false
	}
	return q[0], true
}
