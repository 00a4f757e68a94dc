package store

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kubesim/kubesim/core/api"
)

// Sentinel errors, for errors.Is.
var (
	ErrNotFound      = errors.New("not found")
	ErrAlreadyExists = errors.New("already exists")
	ErrConflict      = errors.New("the object has been modified; please apply your changes to the latest version and try again")
	ErrInvalid       = errors.New("invalid object")
)

// ChangeType says what happened to an object.
type ChangeType int

// Change types.
const (
	Added ChangeType = iota
	Modified
	Deleted
)

func (t ChangeType) String() string {
	return [...]string{"Added", "Modified", "Deleted"}[t]
}

// Change is one write. Old is nil for Added, New is nil for Deleted.
type Change struct {
	Type ChangeType
	Kind string
	Key  string
	Old  api.Object
	New  api.Object
}

// Object returns New, or Old for a deletion.
func (c Change) Object() api.Object {
	if c.New != nil {
		return c.New
	}
	return c.Old
}

// IndexFunc returns the index values of an object (e.g. its node name).
type IndexFunc func(api.Object) []string

type index struct {
	kind string
	fn   IndexFunc
	// one, when set, is fn for an index of at most one value per object, returning it
	// without a slice: the built-in indexes ran twice per write each, and their one-element
	// slices were a twentieth of a 1,000-replica run's allocations.
	one func(api.Object) (string, bool)
	// byValue maps an index value to the set of objects carrying it.
	byValue map[string]*keySet
	// cache holds ByIndex results by value and kind until the value's set changes.
	cache map[ixKey]*cached
}

// ixKey is a kind with an object key (in byValue) or an index value (in cache): one map
// access with no string built, where nested maps or "kind\x00key" strings cost more on
// every write and look-up.
type ixKey struct{ kind, key string }

// cached is one ByIndex result and the values derived from it (ByIndexDerived), dropped
// together at the next write that touches the index value.
type cached struct {
	keys    []string // sorted
	objs    []api.Object
	derived []derivedValue // a few at most: a slice is cheaper to search than a map
	// stale is set when an object of the result was updated without changing its index
	// values: keys still hold, objs must be re-read.
	stale bool
	// dead is set when the result left the index's cache (an IndexRef may still hold it).
	dead bool
	// prev holds the values derived from an earlier result of the same value, for
	// ByIndexDerivedFromRef to update instead of deriving anew.
	prev []derivedValue
}

// carried is what a result's replacement keeps as prev: its derived values, or the ones it
// kept itself.
func (c *cached) carried() []derivedValue {
	if c.derived != nil {
		return c.derived
	}
	return c.prev
}

// IndexRef remembers the cached ByIndex result ByIndexDerivedFromRef found for one index value,
// and the value derived from it, so the next look-up of that value skips the store's maps
// while no write touched it (the scheduler reads every node's pods on every attempt). The
// zero value is ready to use.
type IndexRef struct {
	s   *Store
	gen int64
	c   *cached
	v   any
}

// Cached is the value ByIndexDerivedFromRef last returned for ref, if it still holds: no write
// touched the index value since (small enough to inline where a miss is rare).
func (ref *IndexRef) Cached(s *Store) (any, bool) {
	if c := ref.c; c == nil || c.dead || c.stale || ref.s != s || ref.gen != s.ixGen {
		return nil, false
	}
	return ref.v, true
}

// Store holds objects by kind and key ("namespace/name"). It is not safe for concurrent use,
// by design: the engine is single-threaded.
type Store struct {
	objects map[string]map[string]api.Object
	sorted  map[string][]string // cached sorted keys per kind; nil when stale
	// listDerived holds ListDerived values per kind until the kind's next write.
	listDerived map[string][]derivedValue
	// specField caches, per object type, the index path of its Spec field (nil: none), a
	// property of the Go type that reflect's FieldByName would look up on every update.
	specField map[reflect.Type][]int
	rv        int64
	uid       int64
	indexes   map[string]*index // by index name
	// ixGen counts AddIndex calls (Restore rebuilds every index): an IndexRef of an earlier
	// generation is void.
	ixGen int64
	// ixList holds the same indexes for writes to walk: ranging over a map cost more than
	// most writes' index work.
	ixList []*index
	// derived holds Derived values by stored object (a version: writes replace objects)
	// until the object's next write.
	derived map[api.Object][]derivedValue
	listen  []func(Change)
	// writeSeq counts writes and Restores (never reset); kindSeq holds, per kind, its value at
	// the kind's last write, and restoredAt at the last Restore (KindVersion).
	writeSeq, restoredAt int64
	kindSeq              map[string]int64
	// Clock stamps creationTimestamp on Create; the engine sets it to its virtual clock.
	Clock func() api.Time
}

// New returns an empty store with the built-in indexes: "owner" (controller owner UID, all
// kinds), "node" (Pod spec.nodeName) and "podAffinity" (bound pods with pod affinity or
// anti-affinity, under the value "bound").
func New() *Store {
	s := &Store{objects: map[string]map[string]api.Object{}, sorted: map[string][]string{}, indexes: map[string]*index{},
		specField: map[reflect.Type][]int{}, derived: map[api.Object][]derivedValue{},
		listDerived: map[string][]derivedValue{}, kindSeq: map[string]int64{}}
	s.addIndex1("owner", "", func(o api.Object) (string, bool) {
		if r := api.ControllerOf(o.Meta()); r != nil {
			return r.UID, true
		}
		return "", false
	})
	s.addIndex1("node", "Pod", func(o api.Object) (string, bool) {
		n := o.(*api.Pod).Spec.NodeName
		return n, n != ""
	})
	// The scheduler's InterPodAffinity looks at the bound pods with pod (anti-)affinity on
	// every attempt (the scheduler cache's HavePodsWithAffinityList); usually there are none.
	s.addIndex1("podAffinity", "Pod", func(o api.Object) (string, bool) {
		p := o.(*api.Pod)
		return "bound", p.Spec.NodeName != "" && p.Spec.Affinity != nil && (p.Spec.Affinity.PodAffinity != nil || p.Spec.Affinity.PodAntiAffinity != nil)
	})
	return s
}

// addIndex1 is AddIndex for an index of at most one value per object (index.one).
func (s *Store) addIndex1(name, kind string, one func(api.Object) (string, bool)) {
	s.addIndex(name, kind, func(o api.Object) []string {
		if v, ok := one(o); ok {
			return []string{v}
		}
		return nil
	}, one)
}

// values is ix.fn(o), in buf for a single-valued index.
func (ix *index) values(o api.Object, buf *[1]string) []string {
	if ix.one == nil {
		return ix.fn(o)
	}
	if v, ok := ix.one(o); ok {
		buf[0] = v
		return buf[:]
	}
	return nil
}

// AddIndex registers an index over kind ("" for every kind). Indexes are derived data: they
// are rebuilt on Restore and never part of a snapshot.
func (s *Store) AddIndex(name, kind string, fn IndexFunc) { s.addIndex(name, kind, fn, nil) }

func (s *Store) addIndex(name, kind string, fn IndexFunc, one func(api.Object) (string, bool)) {
	ix := &index{kind: kind, fn: fn, one: one, byValue: map[string]*keySet{}, cache: map[ixKey]*cached{}}
	s.ixGen++
	if old := s.indexes[name]; old != nil {
		s.ixList[slices.Index(s.ixList, old)] = ix
	} else {
		s.ixList = append(s.ixList, ix)
	}
	s.indexes[name] = ix
	for k, objs := range s.objects {
		if kind == "" || kind == k {
			for key, o := range objs {
				ix.add(k, key, o)
			}
		}
	}
}

// derivedValue is one named Derived value of an object.
type derivedValue struct {
	name string
	v    any
}

// add indexes o, stored under key (its Meta().Key(), which the caller has at hand).
func (ix *index) add(kind, key string, o api.Object) {
	if ix.kind != "" && ix.kind != kind {
		return
	}
	var buf [1]string
	for _, v := range ix.values(o, &buf) {
		if c := ix.cache[ixKey{kind, v}]; c != nil {
			c.insert(key)
		}
		set := ix.byValue[v]
		if set == nil {
			set = &keySet{}
			ix.byValue[v] = set
		}
		set.add(ixKey{kind, key})
	}
}

// keySet is the set of objects carrying one index value. Most values are carried by a
// single object (every event has an aggregation key of its own), which is kept inline: a
// map per value was most of what indexing an event allocated.
type keySet struct {
	one  ixKey              // the member while there is exactly one and many is nil
	n    int                // members
	many map[ixKey]struct{} // every member, once there were two at a time
}

func (k *keySet) len() int {
	if k == nil {
		return 0
	}
	return k.n
}

func (k *keySet) add(x ixKey) {
	switch {
	case k.many != nil:
		k.many[x] = struct{}{}
		k.n = len(k.many)
	case k.n == 0:
		k.one, k.n = x, 1
	case k.one != x:
		k.many = map[ixKey]struct{}{k.one: {}, x: {}}
		k.one, k.n = ixKey{}, 2
	}
}

func (k *keySet) remove(x ixKey) {
	switch {
	case k.many != nil:
		delete(k.many, x)
		k.n = len(k.many)
	case k.n == 1 && k.one == x:
		k.one, k.n = ixKey{}, 0
	}
}

// each calls f for every member, in no particular order.
func (k *keySet) each(f func(ixKey)) {
	if k == nil {
		return
	}
	if k.many != nil {
		for x := range k.many {
			f(x)
		}
	} else if k.n == 1 {
		f(k.one)
	}
}

// update moves an updated object in the index. When its values did not change (a status
// write, mostly) the cached results keep their sorted keys and only re-read the objects: a
// StatefulSet's sync lists its pods by owner after every pod write.
func (ix *index) update(kind, key string, old, o api.Object) {
	if ix.kind != "" && ix.kind != kind {
		return
	}
	var b1, b2 [1]string
	was, is := ix.values(old, &b1), ix.values(o, &b2)
	if !slices.Equal(was, is) {
		ix.remove(kind, key, old)
		ix.add(kind, key, o)
		return
	}
	for _, v := range is {
		if c := ix.cache[ixKey{kind, v}]; c != nil {
			c.dead = true
			ix.cache[ixKey{kind, v}] = &cached{keys: c.keys, stale: true, prev: c.carried()}
		}
	}
}

// insert adds key to a cached result's sorted keys, in place, and leaves the objects to be
// re-read: the next read skips gathering and sorting the keys again (a bind adds one pod to
// a node's, a ReplicaSet's creations one each to its owner's). Only dead results share the
// keys, and those are never read.
func (c *cached) insert(key string) {
	c.keys = insertSorted(c.keys, key)
	c.stale, c.objs, c.prev, c.derived = true, nil, c.carried(), nil
}

// insertSorted adds key to sorted keys, in place, unless it is there.
func insertSorted(keys []string, key string) []string {
	if i, found := slices.BinarySearch(keys, key); !found {
		return slices.Insert(keys, i, key)
	}
	return keys
}

// deleteSorted removes key from sorted keys, in place.
func deleteSorted(keys []string, key string) []string {
	if i, found := slices.BinarySearch(keys, key); found {
		return slices.Delete(keys, i, i+1)
	}
	return keys
}

// drop removes key from a cached result's sorted keys, like insert.
func (c *cached) drop(key string) {
	c.keys = deleteSorted(c.keys, key)
	c.stale, c.objs, c.prev, c.derived = true, nil, c.carried(), nil
}

func (ix *index) remove(kind, key string, o api.Object) {
	if ix.kind != "" && ix.kind != kind {
		return
	}
	var buf [1]string
	for _, v := range ix.values(o, &buf) {
		k := ixKey{kind, v}
		set := ix.byValue[v]
		if set != nil {
			set.remove(ixKey{kind, key})
		}
		c := ix.cache[k]
		if set == nil || set.len() == 0 {
			delete(ix.byValue, v)
			if c != nil { // nothing carries the value any more: forget its result
				c.dead = true
				delete(ix.cache, k)
			}
			continue
		}
		if c != nil {
			c.drop(key)
		}
	}
}

// Listen registers a function called synchronously after every write.
func (s *Store) Listen(fn func(Change)) { s.listen = append(s.listen, fn) }

// KindVersion changes at every write of an object of kind, and at every Restore (it never
// repeats): a cache built from a kind's objects by the only writer of that kind stays exact
// while it is what the writer last saw.
func (s *Store) KindVersion(kind string) int64 { return max(s.kindSeq[kind], s.restoredAt) }

func (s *Store) wrote(kind string) {
	s.writeSeq++
	s.kindSeq[kind] = s.writeSeq
}

// ResourceVersion is the version of the latest write.
func (s *Store) ResourceVersion() int64 { return s.rv }

// Get returns the stored object or nil. The result is shared: do not modify it.
func (s *Store) Get(kind, key string) api.Object {
	return s.objects[kind][key]
}

// List returns the objects of a kind in namespace ns ("" for all), sorted by key.
func (s *Store) List(kind, ns string) []api.Object {
	keys := s.sortedKeys(kind)
	objs := s.objects[kind]
	out := make([]api.Object, 0, len(keys))
	if ns == "" {
		for _, k := range keys {
			out = append(out, objs[k])
		}
		return out
	}
	prefix := ns + "/"
	i := sort.SearchStrings(keys, prefix)
	for ; i < len(keys) && strings.HasPrefix(keys[i], prefix); i++ {
		out = append(out, objs[keys[i]])
	}
	return out
}

// Len returns the number of objects of a kind.
func (s *Store) Len(kind string) int { return len(s.objects[kind]) }

// Kinds returns every kind that has objects, sorted.
func (s *Store) Kinds() []string {
	var ks []string
	for k, m := range s.objects {
		if len(m) > 0 {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

// ByIndex returns the objects of kind whose index value matches, sorted by key. The result
// is shared until the next write that touches the value: do not modify it (appending is
// safe, its capacity is clipped).
func (s *Store) ByIndex(indexName, kind, value string) []api.Object {
	if ix := s.indexes[indexName]; ix != nil && ix.byValue[value].len() == 0 {
		// Nothing carries the value (the event recorder's "seen before?" look-up, mostly):
		// nothing to cache.
		return []api.Object{}
	}
	return s.byIndex(indexName, kind, value).objs
}

// ByIndexDerived returns fn(ByIndex(indexName, kind, value)), computed at most once per
// cached ByIndex result: the value is dropped together with the cached objects at the next
// write that touches the index value, and on Restore. name tells derivations of the same
// objects apart. fn must depend on nothing but the objects it is given, so the result is
// always exactly what fn would return now; like the index itself it is derived data, never
// part of a snapshot. The result is shared: do not modify it.
func (s *Store) ByIndexDerived(indexName, kind, value, name string, fn func([]api.Object) any) any {
	c := s.byIndex(indexName, kind, value)
	for _, d := range c.derived {
		if d.name == name {
			return d.v
		}
	}
	v := fn(c.objs)
	c.derived = append(c.derived, derivedValue{name, v})
	return v
}

// Derived returns fn(o) for o, an object as it is stored now (as Get or List return it),
// computed at most once per stored version: the value is dropped at the object's next write,
// and on Restore. It lets a controller that walks every object of a kind reuse what it
// derived from the ones that did not change. Like ByIndexDerived, fn must depend on nothing
// but o, and the result is shared: do not modify it. Values are kept by the object itself
// (hashing a pointer, not its key), so o must not be a version already replaced.
func (s *Store) Derived(o api.Object, name string, fn func(api.Object) any) any {
	vs := s.derived[o]
	for _, d := range vs {
		if d.name == name {
			return d.v
		}
	}
	v := fn(o)
	s.derived[o] = append(s.derived[o], derivedValue{name, v}) // fn may have derived others
	return v
}

// ListDerived returns fn(List(kind, "")), computed at most once per version of the kind's
// objects: the value is dropped at the next write of an object of kind, and on Restore. It
// suits kinds that are read on every reconcile and rarely written (the scheduler's nodes).
// Like ByIndexDerived, fn must depend on nothing but the objects it is given, and the result
// is shared: do not modify it.
func (s *Store) ListDerived(kind, name string, fn func([]api.Object) any) any {
	for _, d := range s.listDerived[kind] {
		if d.name == name {
			return d.v
		}
	}
	v := fn(s.List(kind, ""))
	s.listDerived[kind] = append(s.listDerived[kind], derivedValue{name, v})
	return v
}

// ByIndexDerivedFromRef is ByIndexDerived(indexName, kind, value, name, fn) remembering the
// cached result and the value in ref, which must be used for that one index value and name
// of this store only; fn is also given prev: the value of name derived from an earlier
// result for the same index value, before the writes that have touched it since (nil when
// there is none), for fn to update from the objects that changed. fn(objs, prev) must equal
// fn(objs, nil).
func (s *Store) ByIndexDerivedFromRef(ref *IndexRef, indexName, kind, value, name string, fn func(objs []api.Object, prev any) any) any {
	if v, ok := ref.Cached(s); ok {
		return v
	}
	c := s.byIndex(indexName, kind, value)
	v, found := any(nil), false
	for _, d := range c.derived {
		if d.name == name {
			v, found = d.v, true
			break
		}
	}
	if !found {
		var prev any
		for _, d := range c.prev {
			if d.name == name {
				prev = d.v
			}
		}
		v = fn(c.objs, prev)
		c.derived = append(c.derived, derivedValue{name, v})
		c.prev = nil // an earlier result's values, not needed any more
	}
	*ref = IndexRef{s: s, gen: s.ixGen, c: c, v: v}
	return v
}

func (s *Store) byIndex(indexName, kind, value string) *cached {
	ix := s.indexes[indexName]
	if ix == nil {
		panic(fmt.Sprintf("store: no index %q", indexName))
	}
	c, ok := ix.cache[ixKey{kind, value}]
	if ok && !c.stale {
		return c
	}
	var keys []string
	if ok {
		keys = c.keys
	} else {
		set := ix.byValue[value]
		keys = make([]string, 0, set.len())
		set.each(func(k ixKey) {
			if k.kind == kind {
				keys = append(keys, k.key)
			}
		})
		sort.Strings(keys)
	}
	out := make([]api.Object, 0, len(keys))
	objs := s.objects[kind]
	for _, k := range keys {
		out = append(out, objs[k])
	}
	var prev []derivedValue
	if ok {
		c.dead = true // the stale result is replaced
		prev = c.carried()
	}
	c = &cached{keys: keys, objs: out[:len(out):len(out)], prev: prev}
	ix.cache[ixKey{kind, value}] = c
	return c
}

// The keys of a kind are sorted once; a create or delete then inserts or removes its key in
// place (a copy, where sorting again per creation made List cost N log N per write). The
// slice is only read by List, never kept across a write.
func (s *Store) sortedKeys(kind string) []string {
	if keys, ok := s.sorted[kind]; ok {
		return keys
	}
	keys := make([]string, 0, len(s.objects[kind]))
	for k := range s.objects[kind] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s.sorted[kind] = keys
	return keys
}

func validate(o api.Object) (kind, key string, err error) {
	if o == nil || reflect.ValueOf(o).IsNil() {
		return "", "", fmt.Errorf("%w: nil object", ErrInvalid)
	}
	kind = o.GetKind()
	if kind == "" {
		return "", "", fmt.Errorf("%w: kind is empty (set TypeMeta.Kind)", ErrInvalid)
	}
	if o.Meta().Name == "" {
		return "", "", fmt.Errorf("%w: %s name is empty", ErrInvalid, kind)
	}
	return kind, o.Meta().Key(), nil
}

// NextUID returns a fresh, deterministic UID.
func (s *Store) NextUID() string {
	s.uid++
	// "uid-%06d" without fmt: every event and pod gets one
	d := strconv.FormatInt(s.uid, 10)
	if len(d) < 6 {
		d = "000000"[len(d):] + d
	}
	return "uid-" + d
}

// Create adds o. It stamps a UID when o has none, the resource version, and generation 1.
// o is owned by the store afterwards: the caller must not modify it.
func (s *Store) Create(o api.Object) error {
	kind, key, err := validate(o)
	if err != nil {
		return err
	}
	if _, ok := s.objects[kind][key]; ok {
		return fmt.Errorf("%s %q %w", kind, o.Meta().Name, ErrAlreadyExists)
	}
	m := o.Meta()
	if m.UID == "" {
		m.UID = s.NextUID()
	}
	s.rv++
	m.ResourceVersion = s.rv
	if m.Generation == 0 {
		m.Generation = 1
	}
	if s.Clock != nil {
		m.CreationTimestamp = s.Clock()
	}
	if s.objects[kind] == nil {
		s.objects[kind] = map[string]api.Object{}
	}
	s.objects[kind][key] = o
	s.wrote(kind)
	if keys, ok := s.sorted[kind]; ok {
		s.sorted[kind] = insertSorted(keys, key)
	}
	delete(s.listDerived, kind)
	for _, ix := range s.ixList {
		ix.add(kind, key, o)
	}
	s.notify(Change{Type: Added, Kind: kind, Key: key, New: o})
	return nil
}

// Update replaces the stored object with o. o must carry the stored resource version
// (optimistic concurrency, like the API server). The generation is bumped when the spec
// changes. o is owned by the store afterwards.
func (s *Store) Update(o api.Object) error {
	kind, key, err := validate(o)
	if err != nil {
		return err
	}
	old, ok := s.objects[kind][key]
	if !ok {
		return fmt.Errorf("%s %q %w", kind, o.Meta().Name, ErrNotFound)
	}
	m, om := o.Meta(), old.Meta()
	if m.ResourceVersion != om.ResourceVersion {
		return fmt.Errorf("operation cannot be fulfilled on %s %q: %w", kind, m.Name, ErrConflict)
	}
	m.UID, m.CreationTimestamp = om.UID, om.CreationTimestamp
	m.Generation = om.Generation
	if s.specChanged(old, o) {
		m.Generation++
	}
	s.rv++
	m.ResourceVersion = s.rv
	s.objects[kind][key] = o
	s.wrote(kind)
	delete(s.derived, old)
	delete(s.listDerived, kind)
	for _, ix := range s.ixList {
		ix.update(kind, key, old, o)
	}
	s.notify(Change{Type: Modified, Kind: kind, Key: key, Old: old, New: o})
	return nil
}

// sameBits reports whether *a and *b are the same bytes: for a status write's copy of a pod
// (CloneStatus: `cp := *p`, then only the status changes) the spec is, so it is equal without
// a reflective walk. Same bits imply DeepEqual for a spec, which holds no floats and no
// funcs; different bits (padding, or a real change) fall back to DeepEqual.
func sameBits[T any](a, b *T) bool {
	n := unsafe.Sizeof(*a)
	return bytes.Equal(unsafe.Slice((*byte)(unsafe.Pointer(a)), n), unsafe.Slice((*byte)(unsafe.Pointer(b)), n))
}

// specChanged reports whether the objects' Spec fields differ (objects without a Spec never bump).
func (s *Store) specChanged(a, b api.Object) bool {
	if pa, ok := a.(*api.Pod); ok {
		// The hottest writes: no field look-up, and no copy of the spec into an interface
		// (pointers to the specs compare their contents the same way).
		if pb, ok := b.(*api.Pod); ok {
			return !sameBits(&pa.Spec, &pb.Spec) && !reflect.DeepEqual(&pa.Spec, &pb.Spec)
		}
	}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	if va.Type() != vb.Type() {
		fa, fb := va.FieldByName("Spec"), vb.FieldByName("Spec")
		if !fa.IsValid() || !fb.IsValid() {
			return false
		}
		return !reflect.DeepEqual(fa.Interface(), fb.Interface())
	}
	path, ok := s.specField[va.Type()]
	if !ok {
		if f, found := va.Type().FieldByName("Spec"); found {
			path = f.Index
		}
		s.specField[va.Type()] = path
	}
	if path == nil {
		return false
	}
	return !reflect.DeepEqual(va.FieldByIndex(path).Addr().Interface(), vb.FieldByIndex(path).Addr().Interface())
}

// Delete removes the object immediately. Graceful deletion is the engine's business.
func (s *Store) Delete(kind, key string) error {
	old, ok := s.objects[kind][key]
	if !ok {
		return fmt.Errorf("%s %q %w", kind, key, ErrNotFound)
	}
	s.rv++
	delete(s.objects[kind], key)
	s.wrote(kind)
	if keys, ok := s.sorted[kind]; ok {
		s.sorted[kind] = deleteSorted(keys, key)
	}
	delete(s.listDerived, kind)
	delete(s.derived, old)
	for _, ix := range s.ixList {
		ix.remove(kind, key, old)
	}
	s.notify(Change{Type: Deleted, Kind: kind, Key: key, Old: old})
	return nil
}

func (s *Store) notify(c Change) {
	for _, fn := range s.listen {
		fn(c)
	}
}

// Snapshot is an immutable copy of the store's contents.
type Snapshot struct {
	objects map[string]map[string]api.Object
	rv, uid int64
}

// Snapshot captures the current contents. It is cheap: objects are immutable and shared.
func (s *Store) Snapshot() *Snapshot {
	c := make(map[string]map[string]api.Object, len(s.objects))
	for k, m := range s.objects {
		mm := make(map[string]api.Object, len(m))
		for key, o := range m {
			mm[key] = o
		}
		c[k] = mm
	}
	return &Snapshot{objects: c, rv: s.rv, uid: s.uid}
}

// Restore replaces the contents with a snapshot's, without notifying listeners, and
// rebuilds the indexes.
func (s *Store) Restore(snap *Snapshot) {
	s.objects = make(map[string]map[string]api.Object, len(snap.objects))
	for k, m := range snap.objects {
		mm := make(map[string]api.Object, len(m))
		for key, o := range m {
			mm[key] = o
		}
		s.objects[k] = mm
	}
	s.rv, s.uid = snap.rv, snap.uid
	s.writeSeq++
	s.restoredAt = s.writeSeq
	s.sorted = map[string][]string{}
	s.listDerived = map[string][]derivedValue{}
	s.derived = map[api.Object][]derivedValue{}
	for name, ix := range s.indexes {
		s.addIndex(name, ix.kind, ix.fn, ix.one)
	}
}

// Typed helpers.

// GetAs returns the stored object of kind and key as T, or the zero value when absent.
func GetAs[T api.Object](s *Store, kind, key string) (T, bool) {
	o := s.Get(kind, key)
	if o == nil {
		var zero T
		return zero, false
	}
	return o.(T), true
}

// ListAs returns List(kind, ns) as []T.
func ListAs[T api.Object](s *Store, kind, ns string) []T {
	objs := s.List(kind, ns)
	out := make([]T, len(objs))
	for i, o := range objs {
		out[i] = o.(T)
	}
	return out
}

// ByIndexAs returns ByIndex as []T.
func ByIndexAs[T api.Object](s *Store, indexName, kind, value string) []T {
	objs := s.ByIndex(indexName, kind, value)
	out := make([]T, len(objs))
	for i, o := range objs {
		out[i] = o.(T)
	}
	return out
}
