package invariant

import (
	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

func init() {
	Register("pv-bound-to-one-claim", pvBoundToOneClaim)
}

// pvBoundToOneClaim: a PersistentVolume is bound to at most one claim. No two Bound claims
// name the same volume, and a Bound claim's volume, while it exists, points back at that
// claim through spec.claimRef (the PV controller binds the volume first, then the claim:
// pkg/controller/volume/persistentvolume/pv_controller.go bind, v1.37.2).
func pvBoundToOneClaim(s *store.Store, _ api.Time) error {
	owner := map[string]string{} // volume name -> claim key
	for _, c := range store.ListAs[*api.PersistentVolumeClaim](s, "PersistentVolumeClaim", "") {
		if c.Status.Phase != api.ClaimBound || c.Spec.VolumeName == "" {
			continue
		}
		v := c.Spec.VolumeName
		if prev, ok := owner[v]; ok {
			return objErr("PersistentVolume", v, "persistentvolume %s is bound to two claims: %s and %s", v, prev, c.Key())
		}
		owner[v] = c.Key()
		pv, ok := store.GetAs[*api.PersistentVolume](s, "PersistentVolume", v)
		if !ok {
			continue // the claim will turn Lost; not this rule's business
		}
		ref := pv.Spec.ClaimRef
		if ref == nil || ref.Namespace != c.Namespace || ref.Name != c.Name || (ref.UID != "" && ref.UID != c.UID) {
			return objErr("PersistentVolume", v, "claim %s is Bound to persistentvolume %s, whose claimRef is %s", c.Key(), v, claimRefString(ref))
		}
	}
	return nil
}

func claimRefString(r *api.ObjectReference) string {
	if r == nil {
		return "empty"
	}
	return r.Namespace + "/" + r.Name + " (uid " + r.UID + ")"
}
