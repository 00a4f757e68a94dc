package sim

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
	"github.com/kubesim/kubesim/core/trace"
)

// Context is what a controller (or the action handler) sees of the engine: the clock, the
// store, its work queue, random streams, events and explanations.
type Context struct {
	e    *Engine
	ctrl int // -1 outside controllers
	name string
	// scratch is the controller's working memory (Scratch).
	scratch any
}

// Scratch returns the working memory this controller's last reconcile left, made by newFn
// the first time. It saves allocations, or recomputation when every use checks exactly that
// what it holds still follows from the store (the DNS controller's memo, checked against
// store.KindVersion): nothing in it may change a result, and what must be remembered belongs
// in the store. The engine runs one reconcile at a time, so one reconcile at a time uses it.
func (c *Context) Scratch(newFn func() any) any {
	if c.scratch == nil {
		c.scratch = newFn()
	}
	return c.scratch
}

// Name is the controller's name (or the action source).
func (c *Context) Name() string { return c.name }

// Now returns the virtual time.
func (c *Context) Now() api.Time { return c.e.now }

// Store returns the store. Objects read from it are shared: clone before changing.
func (c *Context) Store() *store.Store { return c.e.store }

// Engine returns the engine, for the action handler.
func (c *Context) Engine() *Engine { return c.e }

// Enqueue asks for key to be reconciled by this controller at the current instant.
func (c *Context) Enqueue(key string) {
	if c.ctrl < 0 {
		panic("sim: Enqueue outside a controller")
	}
	c.e.enqueue(c.ctrl, key)
}

// EnqueueAfter asks for key to be reconciled after d (now, if d <= 0).
func (c *Context) EnqueueAfter(key string, d api.Duration) {
	c.EnqueueAt(key, c.e.now.Add(d))
}

// EnqueueAt asks for key to be reconciled at t (now, if t is not in the future).
func (c *Context) EnqueueAt(key string, t api.Time) {
	if c.ctrl < 0 {
		panic("sim: EnqueueAt outside a controller")
	}
	if t <= c.e.now {
		c.e.enqueue(c.ctrl, key)
		return
	}
	c.e.push(item{At: t, Ctrl: c.ctrl, Key: key})
}

// Rand returns the named random stream (e.g. "names", "node/node-1").
func (c *Context) Rand(stream string) *rand.Rand { return c.e.Rand(stream) }

// nameAlphabet is the alphabet upstream uses for generated name suffixes and template hashes
// (k8s.io/apimachinery/pkg/util/rand: no vowels, no confusable characters).
const nameAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// RandomString returns n characters of the upstream name alphabet from the "names" stream.
func (c *Context) RandomString(n int) string {
	r := c.Rand("names")
	b := make([]byte, n)
	for i := range b {
		b[i] = nameAlphabet[r.IntN(len(nameAlphabet))]
	}
	return string(b)
}

// GenerateName returns prefix plus five random characters that no object of kind in ns has
// (the API server's generateName).
func (c *Context) GenerateName(kind, ns, prefix string) string {
	for {
		name := prefix + c.RandomString(5)
		if c.e.store.Get(kind, ns+"/"+name) == nil {
			return name
		}
	}
}

// Create stores a new object after applying the API server's defaults to it, as every
// create request gets (so pods a controller makes carry the default tolerations too).
func (c *Context) Create(o api.Object) error {
	api.Default(o)
	switch t := o.(type) {
	case *api.Pod:
		// The Priority admission plugin resolves the pod's class into spec.priority and
		// spec.preemptionPolicy, or refuses the pod.
		if msg := api.AdmitPodPriority(c.e.store, t); msg != "" {
			return forbidden("pods", t.ObjectMeta, msg)
		}
		// pkg/registry/core/pod/strategy.go PrepareForCreate: the API server sets the QoS
		// class once, so a pod has it before any kubelet sees it.
		t.Status.QOSClass = ""
		t.Status.QOSClass = api.GetPodQOS(t)
	case *api.PriorityClass:
		if c.e.store.Get("PriorityClass", t.Name) == nil && api.LookupPriorityClass(c.e.store, t.Name) != nil {
			// A built-in class exists from the start (kubesim keeps it out of the store).
			return fmt.Errorf("%s %q %w", "PriorityClass", t.Name, store.ErrAlreadyExists)
		}
		if msg := api.AdmitPriorityClass(c.e.store, t, false); msg != "" {
			return forbidden("priorityclasses.scheduling.k8s.io", t.ObjectMeta, msg)
		}
	}
	return c.e.store.Create(o)
}

// forbidden is admission.NewForbidden: a 403 naming the object, by its generateName while
// it has no name yet (extractResourceName: names are generated after admission).
func forbidden(resource string, m api.ObjectMeta, msg string) error {
	name := m.Name
	if m.GenerateName != "" {
		name = m.GenerateName
	}
	return &StatusError{Code: 403, Reason: "Forbidden", Message: fmt.Sprintf("%s %q is forbidden: %s", resource, name, msg)}
}

// Update replaces a stored object with a changed copy.
func (c *Context) Update(o api.Object) error {
	if pc, ok := o.(*api.PriorityClass); ok {
		if msg := api.AdmitPriorityClass(c.e.store, pc, true); msg != "" {
			return forbidden("priorityclasses.scheduling.k8s.io", pc.ObjectMeta, msg)
		}
	}
	return c.e.store.Update(o)
}

// Remove deletes an object from the store at once (the final step of a deletion).
func (c *Context) Remove(kind, key string) error { return c.e.store.Delete(kind, key) }

// DeleteOptions are the options of a DELETE request.
type DeleteOptions struct {
	// GracePeriodSeconds overrides the pod's terminationGracePeriodSeconds; 0 deletes at once
	// (kubectl delete --grace-period=0 --force).
	GracePeriodSeconds *int64
}

// Delete deletes an object the way the API server does. A pod bound to a node that is not
// yet terminal is deleted gracefully: it gets a deletionTimestamp and grace period, and the
// kubelet removes it once its containers are gone. An object with finalizers gets a
// deletionTimestamp and stays until they are removed. Anything else is removed at once.
// Dependents are left to the garbage collector.
func (c *Context) Delete(kind, key string, opts DeleteOptions) error {
	o := c.e.store.Get(kind, key)
	if o == nil {
		return fmt.Errorf("%s %q %w", kind, key, store.ErrNotFound)
	}
	m := o.Meta()
	if p, ok := o.(*api.Pod); ok {
		grace := api.Deref(p.Spec.TerminationGracePeriodSeconds, 30)
		if opts.GracePeriodSeconds != nil {
			grace = *opts.GracePeriodSeconds
		}
		// pkg/registry/core/pod/strategy.go CheckGracefulDeleteStrategy: unscheduled or terminal
		// pods are deleted immediately.
		if p.Spec.NodeName == "" || p.IsTerminal() {
			grace = 0
		}
		if grace == 0 && len(m.Finalizers) == 0 {
			return c.e.store.Delete(kind, key)
		}
		if m.DeletionTimestamp != nil && m.DeletionGracePeriodSeconds != nil && *m.DeletionGracePeriodSeconds <= grace {
			return nil // already terminating with a grace period at least as short
		}
		cp := api.Clone(p)
		now := c.e.now
		if cp.DeletionTimestamp == nil || grace < api.Deref(cp.DeletionGracePeriodSeconds, grace) {
			cp.DeletionTimestamp = &now
		}
		cp.DeletionGracePeriodSeconds = &grace
		return c.e.store.Update(cp)
	}
	if len(m.Finalizers) > 0 {
		if m.DeletionTimestamp != nil {
			return nil
		}
		cp := cloneObject(o)
		now := c.e.now
		cp.Meta().DeletionTimestamp = &now
		cp.Meta().DeletionGracePeriodSeconds = new(int64)
		return c.e.store.Update(cp)
	}
	return c.e.store.Delete(kind, key)
}

func cloneObject(o api.Object) api.Object { return api.Clone(o) }

// Event emits a Kubernetes Event about obj, aggregating repeats like the event recorder
// (same object, type, reason and message: count+1 and lastTimestamp updated).
func (c *Context) Event(obj api.Object, eventType, reason, message string) {
	c.EventAt(obj, "", eventType, reason, message)
}

// Eventf is Event with a format string.
func (c *Context) Eventf(obj api.Object, eventType, reason, format string, args ...any) {
	c.EventAt(obj, "", eventType, reason, fmt.Sprintf(format, args...))
}

// EventAt emits an event about a part of obj, e.g. fieldPath "spec.containers{app}".
func (c *Context) EventAt(obj api.Object, fieldPath, eventType, reason, message string) {
	e := c.e
	m := obj.Meta()
	ev := &api.Event{TypeMeta: api.TypeMeta{APIVersion: "v1", Kind: "Event"},
		InvolvedObject: api.ObjectReference{Kind: obj.GetKind(), Namespace: m.Namespace, Name: m.Name, UID: m.UID},
		FieldPath:      fieldPath, Reason: reason, Message: message, Type: eventType, Source: c.name,
		Count: 1, FirstTimestamp: e.now, LastTimestamp: e.now}
	ns := m.Namespace
	if ns == "" {
		ns = "default"
	}
	key := eventAggKey(ev)
	if prev := sameEvent(e.store.ByIndex("eventAgg", "Event", key), ev); prev != nil {
		cp := api.Clone(prev)
		cp.Count++
		cp.LastTimestamp = e.now
		must(e.store.Update(cp))
	} else {
		ev.ObjectMeta = api.ObjectMeta{Namespace: ns, Name: m.Name + "." + strconv.FormatInt(e.store.ResourceVersion()+1, 16)} // "%s.%x"
		e.aggEv, e.aggKey = ev, []string{key}
		must(e.store.Create(ev))
		e.aggEv, e.aggKey = nil, nil
	}
	e.record(trace.Record{T: e.now, Type: trace.TypeEvent, Event: &trace.Event{
		Reason: reason, EventType: eventType, Object: api.ObjectRef(obj), FieldPath: fieldPath, Message: message}})
}

// eventAggKey is the eventAgg index value of ev: a 64-bit FNV-1a-style hash of the fields the
// event recorder aggregates by (its aggregation key: the involved object, field path, type,
// reason and message). Hashing the fields directly is cheaper than building and hashing the
// joined key (an event's message is long) on every event; sameEvent resolves collisions.
func eventAggKey(ev *api.Event) string {
	r := ev.InvolvedObject
	h := uint64(14695981039346656037)
	for _, f := range [...]string{r.Kind, r.Namespace, r.Name, r.UID, ev.FieldPath, ev.Type, ev.Reason, ev.Message} {
		// FNV-1a over 8-byte words (then the tail's bytes): a byte at a time was a third
		// of an event's cost.
		i := 0
		for ; i+8 <= len(f); i += 8 {
			w := uint64(f[i]) | uint64(f[i+1])<<8 | uint64(f[i+2])<<16 | uint64(f[i+3])<<24 |
				uint64(f[i+4])<<32 | uint64(f[i+5])<<40 | uint64(f[i+6])<<48 | uint64(f[i+7])<<56
			h = (h ^ w) * 1099511628211
			h ^= h >> 29
		}
		for ; i < len(f); i++ {
			h = (h ^ uint64(f[i])) * 1099511628211
		}
		h = (h ^ uint64(len(f))) * 1099511628211 // the length ends the field, so fields cannot run together
	}
	var b [8]byte
	for i := range b {
		b[i] = byte(h >> (8 * i))
	}
	return string(b[:])
}

// sameEvent is the event among candidates (eventAgg look-up results) that ev aggregates
// into, or nil.
func sameEvent(candidates []api.Object, ev *api.Event) *api.Event {
	for _, o := range candidates {
		p := o.(*api.Event)
		if p.InvolvedObject == ev.InvolvedObject && p.FieldPath == ev.FieldPath && p.Type == ev.Type && p.Reason == ev.Reason && p.Message == ev.Message {
			return p
		}
	}
	return nil
}

// Explain records why this controller decided something about obj, with the numbers.
func (c *Context) Explain(obj api.Object, format string, args ...any) {
	msg := ""
	if s, ok := args0String(format, args); ok {
		msg = s // Explain(obj, "%s", text): the text as is, without copying it (schedulers' are long)
	} else {
		msg = fmt.Sprintf(format, args...)
	}
	c.e.explain(c.name, api.ObjectRef(obj), msg)
}

// args0String returns the single string argument of the format "%s", which fmt would print
// unchanged.
func args0String(format string, args []any) (string, bool) {
	if format != "%s" || len(args) != 1 {
		return "", false
	}
	s, ok := args[0].(string)
	return s, ok
}

// ActionOutput adds output that a command still running prints after the instant it started
// at (kubectl drain waiting for evictions): a "continued" action record.
func (c *Context) ActionOutput(source, command, out, errText string) {
	c.e.AppendRecord(trace.Record{Type: trace.TypeAction, Action: &trace.Action{Source: source, Command: command,
		Output: out, Error: errText, Continued: true}})
}

// Caption adds a narration record to the trace.
func (c *Context) Caption(text string) {
	c.e.AppendRecord(trace.Record{Type: trace.TypeCaption, Caption: text})
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
