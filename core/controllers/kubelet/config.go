package kubelet

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
	"github.com/kubesim/kubesim/core/store"
)

// ConfigMap and Secret consumption (v1.37.2):
//
//   - Environment: kuberuntime_container.go startContainer calls generateContainerConfig after
//     EnsureImageExists; its makeEnvironmentVariables (pkg/kubelet/kubelet_pods.go) resolves
//     envFrom then env. A missing object gives the watch-based manager's NotFound
//     (`configmap "x" not found`, `secret "s" not found`), a missing key `couldn't find key k
//     in ConfigMap ns/x` (Secret likewise); optional: true skips both. The failure is Warning
//     Failed "Error: <msg>", the container waits with reason CreateContainerConfigError and
//     that message, and the pod worker retries after its 10 s error back-off (no jitter). The
//     environment is fixed when the container starts: a later change of the object reaches
//     only a new container instance.
//   - Volumes: configMap, secret and projected sources are set up by the volume manager
//     before the sandbox (pkg/volume/configmap/configmap.go, secret/secret.go, projected/
//     projected.go SetUpAt). A missing non-optional object keeps the pod in ContainerCreating
//     with Warning FailedMount `MountVolume.SetUp failed for volume "cfg" : configmap "x" not
//     found`, retried with the operation executor's exponential back-off (500 ms doubling to
//     2 min 2 s, pkg/util/goroutinemap/exponentialbackoff).
//   - Updates of mounted files: with configMapAndSecretChangeDetectionStrategy Watch the
//     kubelet's cache is current, and the files are rewritten when the pod worker next syncs
//     the pod (the reconciler remounts volumes that RequiresRemount). kubesim's pod worker
//     resyncs every 60 s from the sandbox's creation (syncFrequency 1m, without the
//     pod worker's 0-50 % jitter), so a change shows in the files within 60 s. Objects with
//     immutable: true are never re-read upstream; they cannot change anyway.

// mountBackoffInitial and mountBackoffMax are the operation executor's exponential back-off
// for a failed MountVolume.SetUp.
const (
	mountBackoffInitial = 500 * api.Millisecond
	mountBackoffMax     = 122 * api.Second
)

// ConfigState is what the kubelet and runtime hold of a pod's ConfigMaps and Secrets.
type ConfigState struct {
	// Env is each running container instance's environment ("NAME=value", in spec order, a
	// later definition of a name replacing the earlier one), keyed by container name.
	Env map[string][]string `json:"env,omitempty"`
	// Files are the mounted files of the configMap, secret and projected volumes, by volume
	// name then relative path, as of the last (re)mount.
	Files map[string]map[string]string `json:"files,omitempty"`
	// MountBackoff is the back-off after the last failed mount (0: none).
	MountBackoff api.Duration `json:"mountBackoff,omitempty"`
}

func (c *ConfigState) clone() *ConfigState {
	if c == nil {
		return nil
	}
	cp := *c
	if c.Env != nil {
		cp.Env = make(map[string][]string, len(c.Env))
		for k, v := range c.Env {
			cp.Env[k] = append([]string(nil), v...)
		}
	}
	if c.Files != nil {
		cp.Files = make(map[string]map[string]string, len(c.Files))
		for k, v := range c.Files {
			m := make(map[string]string, len(v))
			for p, d := range v {
				m[p] = d
			}
			cp.Files[k] = m
		}
	}
	return &cp
}

func (s *syncer) config() *ConfigState {
	if s.rt.Config == nil {
		s.rt.Config = &ConfigState{}
	}
	return s.rt.Config
}

// notFound is the kubelet's object managers' NotFound error text.
func notFound(resource, name string) error {
	return fmt.Errorf("%s %q not found", resource, name)
}

func configMapOf(st *store.Store, ns, name string) (*api.ConfigMap, bool) {
	return store.GetAs[*api.ConfigMap](st, "ConfigMap", ns+"/"+name)
}

func secretOf(st *store.Store, ns, name string) (*api.Secret, bool) {
	return store.GetAs[*api.Secret](st, "Secret", ns+"/"+name)
}

// containerEnv is makeEnvironmentVariables for container c (Kubernetes service variables and
// $(VAR) expansion are not modelled).
func (s *syncer) containerEnv(c *api.Container) ([]string, error) {
	st, ns := s.ctx.Store(), s.pod.Namespace
	var names []string
	vals := map[string]string{}
	set := func(k, v string) {
		if _, ok := vals[k]; !ok {
			names = append(names, k)
		}
		vals[k] = v
	}
	for _, e := range c.EnvFrom {
		switch {
		case e.ConfigMapRef != nil:
			cm, ok := configMapOf(st, ns, e.ConfigMapRef.Name)
			if !ok {
				if api.Deref(e.ConfigMapRef.Optional, false) {
					continue
				}
				return nil, notFound("configmap", e.ConfigMapRef.Name)
			}
			for _, k := range api.SortedKeys(cm.Data) {
				set(e.Prefix+k, cm.Data[k])
			}
		case e.SecretRef != nil:
			sec, ok := secretOf(st, ns, e.SecretRef.Name)
			if !ok {
				if api.Deref(e.SecretRef.Optional, false) {
					continue
				}
				return nil, notFound("secret", e.SecretRef.Name)
			}
			v := sec.Values()
			for _, k := range api.SortedKeys(v) {
				set(e.Prefix+k, v[k])
			}
		}
	}
	for _, e := range c.Env {
		v := e.Value
		if f := e.ValueFrom; f != nil {
			switch {
			case f.ConfigMapKeyRef != nil:
				r := f.ConfigMapKeyRef
				opt := api.Deref(r.Optional, false)
				cm, ok := configMapOf(st, ns, r.Name)
				if !ok {
					if opt {
						continue
					}
					return nil, notFound("configmap", r.Name)
				}
				if v, ok = cm.Data[r.Key]; !ok {
					if opt {
						continue
					}
					return nil, fmt.Errorf("couldn't find key %s in ConfigMap %s/%s", r.Key, ns, r.Name)
				}
			case f.SecretKeyRef != nil:
				r := f.SecretKeyRef
				opt := api.Deref(r.Optional, false)
				sec, ok := secretOf(st, ns, r.Name)
				if !ok {
					if opt {
						continue
					}
					return nil, notFound("secret", r.Name)
				}
				if v, ok = sec.Values()[r.Key]; !ok {
					if opt {
						continue
					}
					return nil, fmt.Errorf("couldn't find key %s in Secret %s/%s", r.Key, ns, r.Name)
				}
			case f.FieldRef != nil:
				v = s.fieldValue(f.FieldRef.FieldPath)
			}
		}
		set(e.Name, v)
	}
	out := make([]string, len(names))
	for i, k := range names {
		out[i] = k + "=" + vals[k]
	}
	return out, nil
}

// fieldValue is podFieldSelectorRuntimeValue for the common downward API fields.
func (s *syncer) fieldValue(path string) string {
	p := s.pod
	switch path {
	case "metadata.name":
		return p.Name
	case "metadata.namespace":
		return p.Namespace
	case "metadata.uid":
		return p.UID
	case "spec.nodeName":
		return p.Spec.NodeName
	case "spec.serviceAccountName":
		return p.Spec.ServiceAccountName
	case "status.podIP":
		return s.rt.PodIP
	case "status.hostIP":
		return p.Status.HostIP
	}
	return ""
}

// configFailed records a failed generateContainerConfig for container i: it is retried on
// the pod worker's next sync, going through EnsureImageExists again.
func (s *syncer) configFailed(i int, err error) {
	s.event(i, "Warning", "Failed", "Error: "+err.Error())
	cr := &s.rt.Containers[i]
	cr.Phase, cr.PullErr, cr.PullMsg = "", "CreateContainerConfigError", err.Error()
	s.rt.ResyncAt = s.now.Add(errorResync)
	c, _ := s.spec(i)
	s.ctx.Explain(s.pod, "container %s: %s; the pod worker retries in %s", c.Name, err, errorResync)
}

// volumeFiles is SetUpAt of a configMap, secret or projected volume: its files, or the error.
// ok is false for volumes of other kinds.
func (s *syncer) volumeFiles(v *api.Volume) (files map[string]string, ok bool, err error) {
	st, ns := s.ctx.Store(), s.pod.Namespace
	files = map[string]string{}
	// missing is the SetUpAt error for an item whose key is not in the object.
	add := func(data map[string]string, items []api.KeyToPath, missing string) error {
		if len(items) == 0 {
			for k, d := range data {
				files[k] = d
			}
			return nil
		}
		for _, it := range items {
			d, ok := data[it.Key]
			if !ok {
				return fmt.Errorf(missing, it.Key)
			}
			files[it.Path] = d
		}
		return nil
	}
	configMap := func(name string, items []api.KeyToPath, optional *bool) error {
		cm, found := configMapOf(st, ns, name)
		if !found {
			if api.Deref(optional, false) {
				return nil
			}
			return notFound("configmap", name)
		}
		return add(cm.Values(), items, "configmap references non-existent config key: %s")
	}
	secret := func(name string, items []api.KeyToPath, optional *bool) error {
		sec, found := secretOf(st, ns, name)
		if !found {
			if api.Deref(optional, false) {
				return nil
			}
			return notFound("secret", name)
		}
		return add(sec.Values(), items, "references non-existent secret key: %s")
	}
	switch {
	case v.ConfigMap != nil:
		return files, true, configMap(v.ConfigMap.Name, v.ConfigMap.Items, v.ConfigMap.Optional)
	case v.Secret != nil:
		return files, true, secret(v.Secret.SecretName, v.Secret.Items, v.Secret.Optional)
	case v.Projected != nil:
		for _, src := range v.Projected.Sources {
			switch {
			case src.ConfigMap != nil:
				err = configMap(src.ConfigMap.Name, src.ConfigMap.Items, src.ConfigMap.Optional)
			case src.Secret != nil:
				err = secret(src.Secret.Name, src.Secret.Items, src.Secret.Optional)
			}
			if err != nil {
				return files, true, err
			}
		}
		return files, true, nil
	}
	return nil, false, nil
}

// waitForConfigVolumes mounts the pod's configMap, secret and projected volumes before the
// sandbox is created. It reports whether the pod must keep waiting.
func (s *syncer) waitForConfigVolumes() bool {
	if s.now < s.rt.ResyncAt {
		return true // a retry is already due
	}
	var all map[string]map[string]string // made for the first volume: most pods have none
	failed := false
	for i := range s.pod.Spec.Volumes {
		v := &s.pod.Spec.Volumes[i]
		files, ok, err := s.volumeFiles(v)
		if !ok {
			continue
		}
		if err != nil {
			s.ctx.EventAt(s.pod, "", "Warning", "FailedMount",
				fmt.Sprintf("MountVolume.SetUp failed for volume %q : %v", v.Name, err))
			failed = true
			continue
		}
		if all == nil {
			all = map[string]map[string]string{}
		}
		all[v.Name] = files
	}
	if !failed {
		if len(all) > 0 {
			cfg := s.config()
			cfg.Files, cfg.MountBackoff = all, 0
		}
		return false
	}
	cfg := s.config()
	if cfg.MountBackoff == 0 {
		cfg.MountBackoff = mountBackoffInitial
	} else {
		cfg.MountBackoff = min(2*cfg.MountBackoff, mountBackoffMax)
	}
	s.ctx.Explain(s.pod, "volume manager: a configMap or secret volume cannot be set up; retrying in %s", cfg.MountBackoff)
	s.rt.ResyncAt = s.now.Add(cfg.MountBackoff)
	return true
}

// refreshConfigVolumes rewrites the mounted files at a periodic sync of a running pod.
func (s *syncer) refreshConfigVolumes() {
	cfg := s.rt.Config
	if cfg == nil || len(cfg.Files) == 0 || s.now <= s.rt.SandboxAt || s.now.Sub(s.rt.SandboxAt)%resyncInterval != 0 {
		return
	}
	for i := range s.pod.Spec.Volumes {
		v := &s.pod.Spec.Volumes[i]
		if files, ok, err := s.volumeFiles(v); ok && err == nil {
			cfg.Files[v.Name] = files
		}
	}
}

// watchConfig enqueues, at its next periodic sync, every running pod that mounts the changed
// ConfigMap or Secret: nothing else wakes the kubelet for it.
func watchConfig(ctx *sim.Context, c store.Change) {
	ns, name, _ := strings.Cut(c.Key, "/")
	for _, p := range store.ListAs[*api.Pod](ctx.Store(), "Pod", ns) {
		if !mounts(p, c.Kind, name) {
			continue
		}
		rt, ok := store.GetAs[*PodRuntime](ctx.Store(), RuntimeKind, p.Meta().Key())
		if !ok || rt.SandboxPending || rt.Config == nil {
			continue
		}
		ctx.EnqueueAt(p.Meta().Key(), nextTick(rt.SandboxAt, resyncInterval, ctx.Now()))
	}
}

// mounts reports whether p has a volume with the ConfigMap or Secret (kind) name.
func mounts(p *api.Pod, kind, name string) bool {
	for _, v := range p.Spec.Volumes {
		switch {
		case kind == "ConfigMap" && v.ConfigMap != nil && v.ConfigMap.Name == name,
			kind == "Secret" && v.Secret != nil && v.Secret.SecretName == name:
			return true
		case v.Projected != nil:
			for _, src := range v.Projected.Sources {
				if (kind == "ConfigMap" && src.ConfigMap != nil && src.ConfigMap.Name == name) ||
					(kind == "Secret" && src.Secret != nil && src.Secret.Name == name) {
					return true
				}
			}
		}
	}
	return false
}

// setEnv records the environment of the instance of container name that starts now. Only a
// container with variables gets an entry, so pods without any keep no ConfigState.
func (s *syncer) setEnv(name string, env []string) {
	if len(env) == 0 {
		if s.rt.Config != nil {
			delete(s.rt.Config.Env, name)
		}
		return
	}
	cfg := s.config()
	if cfg.Env == nil {
		cfg.Env = map[string][]string{}
	}
	cfg.Env[name] = env
}
