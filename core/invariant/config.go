package invariant

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/kubelet"
	"github.com/kubesim/kubesim/core/store"
)

// ConfigMap and Secret consumption rules, judged from the kubelet's view (its PodRuntime)
// against the API objects: a container's environment is fixed for the life of its instance,
// and a mounted ConfigMap follows the object within one periodic pod sync (60 s).

// filesLag is how long a mounted ConfigMap may lag behind its object: the kubelet rewrites
// the files at the pod's next periodic sync (syncFrequency 1 min).
const filesLag = 60 * api.Second

func init() {
	RegisterStateful("config-env-fixed-per-instance", func() Rule { return &envFixed{seen: map[string][]string{}} })
	RegisterStateful("config-files-follow-the-object", func() Rule {
		return &filesFresh{data: map[string]configData{}, failed: map[string]bool{}}
	})
}

// envFixed remembers each container instance's environment.
type envFixed struct{ seen map[string][]string }

func (r *envFixed) Check(s *store.Store, now api.Time) error {
	for _, rt := range store.ListAs[*kubelet.PodRuntime](s, kubelet.RuntimeKind, "") {
		if rt.Config == nil {
			continue
		}
		for _, c := range rt.Containers {
			env, ok := rt.Config.Env[c.Name]
			if !ok || c.Phase != "Running" {
				continue
			}
			key := fmt.Sprintf("%s/%s#%d", rt.PodUID, c.Name, c.Instance)
			if old, seen := r.seen[key]; seen && !slices.Equal(old, env) {
				return fmt.Errorf("pod %s container %s (instance %d): its environment changed while it ran: %q -> %q",
					rt.Key(), c.Name, c.Instance, old, env)
			}
			r.seen[key] = env
		}
	}
	return nil
}

type configData struct {
	values map[string]string
	since  api.Time
}

// filesFresh remembers since when each ConfigMap holds its data, and the nodes whose kubelet
// was ever down (a kubelet that comes back catches up only at the object's next change).
type filesFresh struct {
	data   map[string]configData
	failed map[string]bool
}

func (r *filesFresh) Check(s *store.Store, now api.Time) error {
	for _, n := range store.ListAs[*api.Node](s, "Node", "") {
		if n.Annotations[kubelet.FailedAnnotation] == "true" {
			r.failed[n.Name] = true
		}
	}
	live := map[string]bool{}
	for _, cm := range store.ListAs[*api.ConfigMap](s, "ConfigMap", "") {
		key := cm.Meta().Key()
		live[key] = true
		v := cm.Values()
		if d, ok := r.data[key]; !ok || !maps.Equal(d.values, v) {
			r.data[key] = configData{values: v, since: now}
		}
	}
	for k := range r.data {
		if !live[k] {
			delete(r.data, k)
		}
	}
	for _, p := range store.ListAs[*api.Pod](s, "Pod", "") {
		if p.DeletionTimestamp != nil || p.IsTerminal() || r.failed[p.Spec.NodeName] {
			continue
		}
		rt, ok := store.GetAs[*kubelet.PodRuntime](s, kubelet.RuntimeKind, p.Meta().Key())
		if !ok || rt.PodUID != p.UID || rt.SandboxPending || rt.Config == nil {
			continue
		}
		// Plain configMap volumes without items: the files are exactly the object's data.
		for _, v := range p.Spec.Volumes {
			if v.ConfigMap == nil || len(v.ConfigMap.Items) > 0 {
				continue
			}
			d, ok := r.data[p.Namespace+"/"+v.ConfigMap.Name]
			files, mounted := rt.Config.Files[v.Name]
			if !ok || !mounted || now.Sub(max(d.since, rt.SandboxAt)) < filesLag {
				continue
			}
			if !maps.Equal(files, d.values) {
				return fmt.Errorf("pod %s volume %s: ConfigMap %s has held its data since t=%ss, but the mounted files still differ at t=%ss",
					p.Meta().Key(), v.Name, v.ConfigMap.Name, d.since.SecondsString(), now.SecondsString())
			}
		}
	}
	return nil
}
