package kubectl

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// LastAppliedAnnotation holds the configuration last applied, for the three-way merge.
const LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

func init() {
	Register(&Command{
		Path:  "apply",
		Flags: []string{"f|filename"},
		Usage: "kubectl apply -f NAME   (NAME: all, or Kind/name of a manifest in the scenario)",
		Run:   runApply,
	})
}

func runApply(env *Env, inv *Invocation) (string, error) {
	name, ok := inv.Flag("filename")
	if !ok {
		return "", Errorf("must specify one of -f and -k")
	}
	if env.Manifests == nil {
		return "", Errorf("the path %q does not exist (no scenario manifests are loaded)", name)
	}
	objs, err := env.Manifests(name)
	if err != nil {
		return "", Errorf("the path %q does not exist: %v", name, err)
	}
	var out []string
	var errs []string
	for _, o := range objs {
		line, err := Apply(env, o)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, line)
	}
	if len(errs) > 0 {
		return strings.Join(out, "\n"), &Error{Msg: strings.Join(errs, "\n")}
	}
	return strings.Join(out, "\n"), nil
}

// Apply creates o, or merges it into the live object like `kubectl apply` (client-side
// apply: a three-way merge of the last-applied configuration, the new one and the live
// object, where lists are replaced whole but for a pod spec's containers and initContainers,
// merged by name). It returns kubectl's line: "deployment.apps/web
// created", "configured" or "unchanged".
func Apply(env *Env, o api.Object) (string, error) {
	o = api.Clone(o)
	m := o.Meta()
	info, ok := api.Kinds[o.GetKind()]
	if !ok {
		return "", Errorf("kind %q is not supported", o.GetKind())
	}
	if info.Namespaced && m.Namespace == "" {
		m.Namespace = "default"
	}
	api.Default(o)
	ref := LowerKind(o.GetKind()) + "/" + m.Name
	applied, err := appliedJSON(o)
	if err != nil {
		return "", err
	}
	live := env.Ctx.Store().Get(o.GetKind(), m.Key())
	if live == nil {
		if m.Annotations == nil {
			m.Annotations = map[string]string{}
		}
		m.Annotations[LastAppliedAnnotation] = string(applied)
		if err := createObject(env, o); err != nil {
			return "", err
		}
		return ref + " created", nil
	}
	merged, changed, err := threeWayMerge(live, applied)
	if err != nil {
		return "", err
	}
	if !changed {
		return ref + " unchanged", nil
	}
	if changed, err = updateObject(env, live, merged); err != nil {
		return "", err
	}
	if !changed {
		return ref + " unchanged", nil
	}
	return ref + " configured", nil
}

// appliedJSON is the object as the user wrote it, without status and server-set metadata:
// what kubectl stores in the last-applied annotation.
func appliedJSON(o api.Object) ([]byte, error) {
	cp := api.Clone(o)
	m := cp.Meta()
	delete(m.Annotations, LastAppliedAnnotation)
	if len(m.Annotations) == 0 {
		m.Annotations = nil
	}
	m.UID, m.ResourceVersion, m.Generation, m.CreationTimestamp = "", 0, 0, 0
	if f := reflect.ValueOf(cp).Elem().FieldByName("Status"); f.IsValid() {
		f.Set(reflect.Zero(f.Type()))
	}
	b, err := json.Marshal(cp)
	if err != nil {
		return nil, err
	}
	var mm map[string]any
	if err := json.Unmarshal(b, &mm); err != nil {
		return nil, err
	}
	delete(mm, "status")
	return json.Marshal(mm)
}

func threeWayMerge(live api.Object, applied []byte) (api.Object, bool, error) {
	liveMap, err := toMap(live)
	if err != nil {
		return nil, false, err
	}
	var newMap, lastMap map[string]any
	if err := json.Unmarshal(applied, &newMap); err != nil {
		return nil, false, err
	}
	if last := live.Meta().Annotations[LastAppliedAnnotation]; last != "" {
		_ = json.Unmarshal([]byte(last), &lastMap)
	}
	merged := mergeMaps(liveMap, lastMap, newMap)
	md, _ := merged["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		merged["metadata"] = md
	}
	ann, _ := md["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
		md["annotations"] = ann
	}
	ann[LastAppliedAnnotation] = string(applied)
	changed := !reflect.DeepEqual(merged, liveMap)
	out, ok := api.NewObject(live.GetKind())
	if !ok {
		return nil, false, Errorf("kind %q is not supported", live.GetKind())
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return nil, false, err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return nil, false, Errorf("merging %s: %v", live.Meta().Name, err)
	}
	return out, changed, nil
}

func toMap(o api.Object) (map[string]any, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// mergeMaps computes live + (new - last): keys the last applied configuration had and the
// new one dropped are deleted; keys of the new one are set (objects merged recursively,
// everything else replaced); keys only the live object has (set by controllers or other
// commands) are kept.
func mergeMaps(live, last, next map[string]any) map[string]any {
	out := make(map[string]any, len(live))
	for k, v := range live {
		out[k] = v
	}
	for k := range last {
		if _, still := next[k]; !still {
			delete(out, k)
		}
	}
	for k, v := range next {
		nv, isMap := v.(map[string]any)
		lv, liveIsMap := out[k].(map[string]any)
		if isMap && liveIsMap {
			lastSub, _ := last[k].(map[string]any)
			out[k] = mergeMaps(lv, lastSub, nv)
			continue
		}
		if k == "containers" || k == "initContainers" {
			if m, ok := mergeListsByName(out[k], last[k], v); ok {
				out[k] = m
				continue
			}
		}
		out[k] = v
	}
	return out
}

// mergeListsByName is the three-way merge of a list whose patchMergeKey is name (a pod
// spec's containers), as kubectl apply's strategic merge patch does it
// (strategicpatch.CreateThreeWayMergePatch): each element of the new list merges into the
// live element of the same name (so a field another command set, such as a readinessProbe
// from kubectl patch, survives a re-apply of a manifest that never had it); an element
// the last applied list had and the new one dropped is removed; a live element neither
// list names is kept, after the new list's elements. ok is false when the lists are not
// lists of named objects (then the new list replaces the live one).
func mergeListsByName(live, last, next any) ([]any, bool) {
	byName := func(l any) (map[string]map[string]any, []string, bool) {
		if l == nil {
			return nil, nil, true
		}
		list, ok := l.([]any)
		if !ok {
			return nil, nil, false
		}
		out, names := map[string]map[string]any{}, []string{}
		for _, e := range list {
			m, ok := e.(map[string]any)
			name, named := m["name"].(string)
			if !ok || !named {
				return nil, nil, false
			}
			out[name] = m
			names = append(names, name)
		}
		return out, names, true
	}
	liveBy, liveNames, ok1 := byName(live)
	lastBy, _, ok2 := byName(last)
	nextBy, nextNames, ok3 := byName(next)
	if !ok1 || !ok2 || !ok3 {
		return nil, false
	}
	out := make([]any, 0, len(nextNames)+len(liveNames))
	for _, n := range nextNames {
		if lv, ok := liveBy[n]; ok {
			out = append(out, mergeMaps(lv, lastBy[n], nextBy[n]))
		} else {
			out = append(out, nextBy[n])
		}
	}
	for _, n := range liveNames {
		_, inNext := nextBy[n]
		_, inLast := lastBy[n]
		if !inNext && !inLast {
			out = append(out, liveBy[n])
		}
	}
	return out, true
}
