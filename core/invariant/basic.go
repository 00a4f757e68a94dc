package invariant

import (
	"fmt"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("pod-bound-to-existing-node", podsOnExistingNodes)
	Register("single-controller-owner", singleControllerOwner)
}

// podsOnExistingNodes: a pod that is not terminal names a node that exists.
func podsOnExistingNodes(s *store.Store, _ api.Time) error {
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		if p.Spec.NodeName != "" && !p.IsTerminal() && s.Get("Node", p.Spec.NodeName) == nil && p.DeletionTimestamp == nil {
			return fmt.Errorf("pod %s is bound to node %q, which does not exist", p.Key(), p.Spec.NodeName)
		}
	}
	return nil
}

// singleControllerOwner: no object has two owner references with controller=true.
func singleControllerOwner(s *store.Store, _ api.Time) error {
	for _, kind := range s.Kinds() {
		for _, o := range s.List(kind, "") {
			n := 0
			for _, r := range o.Meta().OwnerReferences {
				if r.Controller != nil && *r.Controller {
					n++
				}
			}
			if n > 1 {
				return fmt.Errorf("%s %s has %d controller owner references", kind, o.Meta().Key(), n)
			}
		}
	}
	return nil
}
