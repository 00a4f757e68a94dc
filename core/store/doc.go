// Package store is the simulator's API server storage: a versioned set of objects by kind
// and key with sorted listing, secondary indexes and change notifications.
//
// Stored objects are immutable and shared. Get and List return the stored pointers; a caller
// that wants to change an object clones it (api.Clone), changes the copy and calls Update.
// Every write bumps the store's resource version, stamps it on the object and reports a
// Change to the listener, synchronously, so the engine can wake controllers in a fixed order.
//
// # Usage
//
//	s := store.New()
//	s.Listen(func(c store.Change) { ... })
//	_ = s.Create(pod)
//	p := s.Get("Pod", "default/web-0").(*api.Pod)
//	q := api.Clone(p)
//	q.Status.Phase = api.PodRunning
//	_ = s.Update(q)
package store
