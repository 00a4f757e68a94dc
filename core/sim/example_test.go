package sim_test

import (
	"fmt"
	"strconv"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// countdown is a toy controller: it counts a ConfigMap's data["n"] down to 0, one step every
// 2 s of virtual time, with an event for each step. Like every controller it keeps nothing
// of its own: the count lives in the store and the next step is a timer (EnqueueAfter).
type countdown struct{}

func (countdown) Name() string { return "countdown" }

func (countdown) Watch(ctx *sim.Context, c store.Change) {
	if c.Kind == "ConfigMap" && c.Type == store.Added {
		ctx.Enqueue(c.Key)
	}
}

func (countdown) Reconcile(ctx *sim.Context, key string) error {
	cm, ok := store.GetAs[*api.ConfigMap](ctx.Store(), "ConfigMap", key)
	if !ok || cm.Data["n"] == "0" {
		return nil
	}
	n, err := strconv.Atoi(cm.Data["n"])
	if err != nil {
		return err
	}
	next := api.Clone(cm) // stored objects are shared: change a copy
	next.Data["n"] = strconv.Itoa(n - 1)
	if err := ctx.Update(next); err != nil {
		return err
	}
	ctx.Eventf(next, api.EventNormal, "Tick", "n=%d", n-1)
	ctx.EnqueueAfter(key, 2*api.Second)
	return nil
}

// An engine with one controller and one scheduled action, stepped instant by instant:
// virtual time jumps straight to the next timer (at 5 s the last one finds n=0 and stops),
// and the trace records what happened.
func Example() {
	e := sim.New(sim.Options{Seed: 1})
	e.Register(countdown{})
	e.SetActionHandler(func(ctx *sim.Context, a sim.Action) (string, error) {
		cm := &api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap"},
			ObjectMeta: api.ObjectMeta{Namespace: "default", Name: "c"},
			Data:       map[string]string{"n": "2"}}
		return "configmap/c created", ctx.Create(cm)
	})
	e.Schedule(sim.Action{At: api.Time(api.Second), Source: "scenario", Command: "create configmap c"})

	for {
		ran, err := e.Step()
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		if !ran {
			break
		}
		fmt.Println("stepped to", e.Now().SecondsString()+"s")
	}
	for _, r := range e.Records() {
		fmt.Println(trace.TextLine(r))
	}
	// Output:
	// stepped to 1s
	// stepped to 3s
	// stepped to 5s
	//        1.000s  $ create configmap c
	//                  configmap/c created
	//        1.000s  Normal  Tick                 configmap/c  n=1
	//        3.000s  Normal  Tick                 configmap/c  n=0
}

// AdvanceTo runs every instant up to a time and then leaves the clock there, even when
// nothing was due.
func ExampleEngine_AdvanceTo() {
	e := sim.New(sim.Options{})
	if err := e.AdvanceTo(api.Time(90 * api.Second)); err != nil {
		fmt.Println(err)
	}
	fmt.Println(e.Now().SecondsString(), len(e.Records()))
	// Output: 90 0
}
