package store_test

import (
	"errors"
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func configMap(name, v string) *api.ConfigMap {
	return &api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap"},
		ObjectMeta: api.ObjectMeta{Namespace: "default", Name: name},
		Data:       map[string]string{"v": v}}
}

// Every write bumps the resource version and is reported to the listeners at once (the
// engine's watch). Objects are immutable: to change one, clone it, edit the copy and Update
// it; an Update from a stale copy is a conflict, as with the API server.
func Example() {
	s := store.New()
	s.Listen(func(c store.Change) {
		fmt.Printf("watch: %s %s/%s rv=%d\n", c.Type, c.Kind, c.Key, s.ResourceVersion())
	})
	if err := s.Create(configMap("b", "1")); err != nil {
		fmt.Println(err)
	}
	if err := s.Create(configMap("a", "1")); err != nil {
		fmt.Println(err)
	}

	old, _ := store.GetAs[*api.ConfigMap](s, "ConfigMap", "default/b")
	next := api.Clone(old)
	next.Data["v"] = "2"
	if err := s.Update(next); err != nil {
		fmt.Println(err)
	}
	stale := api.Clone(old) // still carries the resource version before the update
	stale.Data["v"] = "3"
	err := s.Update(stale)
	fmt.Println("stale update:", errors.Is(err, store.ErrConflict), err)

	for _, cm := range store.ListAs[*api.ConfigMap](s, "ConfigMap", "default") { // sorted by key
		fmt.Printf("%s v=%s resourceVersion=%d\n", cm.Name, cm.Data["v"], cm.ResourceVersion)
	}
	if err := s.Delete("ConfigMap", "default/a"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// watch: Added ConfigMap/default/b rv=1
	// watch: Added ConfigMap/default/a rv=2
	// watch: Modified ConfigMap/default/b rv=3
	// stale update: true operation cannot be fulfilled on ConfigMap "b": the object has been modified; please apply your changes to the latest version and try again
	// a v=1 resourceVersion=2
	// b v=2 resourceVersion=3
	// watch: Deleted ConfigMap/default/a rv=4
}
