package statefulset

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"

	"github.com/kubesim/kubesim/core/api"
)

// alphanums is the alphabet of k8s.io/apimachinery/pkg/util/rand.SafeEncodeString.
const alphanums = "bcdfghjklmnpqrstvwxz2456789"

// safeEncode maps every byte of s into the upstream name alphabet (rand.SafeEncodeString).
func safeEncode(s string) string {
	b := make([]byte, len(s))
	for i := range s {
		b[i] = alphanums[int(s[i])%len(alphanums)]
	}
	return string(b)
}

// templateData is the revision payload: the pod template (upstream stores a strategic-merge
// patch holding only spec.template; equality of templates is what matters here).
func templateData(t *api.PodTemplateSpec) []byte {
	b, err := json.Marshal(t)
	if err != nil {
		panic(fmt.Sprintf("statefulset: encoding template: %v", err))
	}
	return b
}

// hashRevision is history.HashControllerRevision: FNV-32 of the data (and the collision
// count when set), printed in decimal and safe-encoded.
func hashRevision(data []byte, collisionCount int32) string {
	h := fnv.New32()
	h.Write(data)
	if collisionCount != 0 {
		h.Write([]byte(fmt.Sprint(collisionCount)))
	}
	return safeEncode(fmt.Sprint(h.Sum32()))
}

// revisionName is history.ControllerRevisionName: prefix truncated to 223 characters.
func revisionName(prefix, hash string) string {
	if len(prefix) > 223 {
		prefix = prefix[:223]
	}
	return prefix + "-" + hash
}

// sortRevisions orders revisions by .revision, then name (history.SortControllerRevisions).
func sortRevisions(rs []*api.ControllerRevision) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Revision != rs[j].Revision {
			return rs[i].Revision < rs[j].Revision
		}
		return rs[i].Name < rs[j].Name
	})
}

// equalRevision compares the recorded templates (history.EqualRevision).
func equalRevision(a, b *api.ControllerRevision) bool {
	if a == nil || b == nil {
		return a == b
	}
	return string(templateData(a.Data)) == string(templateData(b.Data))
}

// newRevision builds the revision object for the set's current template
// (stateful_set_utils.go newRevision): labels of the template, annotations of the set.
func newRevision(set *api.StatefulSet, revision int64, collisionCount int32) *api.ControllerRevision {
	data := api.Clone(set.Spec.Template)
	cr := &api.ControllerRevision{TypeMeta: api.TypeMeta{APIVersion: "apps/v1", Kind: "ControllerRevision"},
		ObjectMeta: api.ObjectMeta{Namespace: set.Namespace, OwnerReferences: []api.OwnerReference{api.NewControllerRef(set, "apps/v1")}},
		Revision:   revision, Data: &data}
	if len(set.Spec.Template.Labels) > 0 {
		cr.Labels = map[string]string{}
		for k, v := range set.Spec.Template.Labels {
			cr.Labels[k] = v
		}
	}
	if len(set.Annotations) > 0 {
		cr.Annotations = map[string]string{}
		for k, v := range set.Annotations {
			cr.Annotations[k] = v
		}
	}
	hash := hashRevision(templateData(&data), collisionCount)
	cr.Name = revisionName(set.Name, hash)
	if cr.Labels == nil {
		cr.Labels = map[string]string{}
	}
	cr.Labels["controller.kubernetes.io/hash"] = hash
	return cr
}

// applyRevision returns a copy of set whose template is the revision's (ApplyRevision).
func applyRevision(set *api.StatefulSet, rev *api.ControllerRevision) *api.StatefulSet {
	cp := api.Clone(set)
	cp.Spec.Template = api.Clone(*rev.Data)
	return cp
}
