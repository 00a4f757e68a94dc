package kubectl

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/kubesim/kubesim/core/api"
)

// `kubectl patch (TYPE NAME | TYPE/NAME) -p PATCH [--type strategic|merge]`
// (k8s.io/kubectl v0.37.2 pkg/cmd/patch/patch.go). The patch is applied as a JSON merge
// patch (RFC 7386: objects merge, null deletes, everything else replaces). For the fields
// scenarios patch (scalars and nested objects such as
// spec.updateStrategy.rollingUpdate.partition) a strategic merge patch gives the same result;
// lists are replaced whole, except that a strategic merge (the default) merges the
// containers and initContainers lists by name, their patchMergeKey, as the API server does.
// `--type json` (RFC 6902) is not supported. Output: `statefulset.apps/web patched`, or
// `statefulset.apps/web patched (no change)`.
//
// `--subresource resize` writes a pod's pods/resize subresource (in-place resize,
// KEP-1287): only the cpu and memory of its containers may change (api.ValidatePodResize);
// without it, the pod update validation refuses any change of resources.

func init() {
	Register(&Command{Path: "patch", Flags: []string{"p|patch", "type", "subresource"},
		Usage: "kubectl patch (TYPE NAME | TYPE/NAME) -p PATCH [--type strategic|merge] [--subresource resize]",
		Run:   runPatch})
}

func runPatch(env *Env, inv *Invocation) (string, error) {
	patch, ok := inv.Flag("patch")
	if !ok || patch == "" {
		return "", Errorf("must specify -p to patch")
	}
	strategic := true
	switch t, _ := inv.Flag("type"); t {
	case "", "strategic":
	case "merge":
		strategic = false
	case "json":
		return "", Errorf("--type json is not supported by kubesim; use --type merge")
	default:
		return "", Errorf("--type must be one of [json merge strategic], not %q", t)
	}
	sub, _ := inv.Flag("subresource")
	switch sub {
	case "", "resize":
	case "status", "scale":
		return "", Errorf("--subresource %s is not supported by kubesim; only resize is", sub)
	default:
		return "", Errorf("invalid subresource value: %q. Must be one of [status scale resize]", sub)
	}
	var pm map[string]any
	if err := json.Unmarshal([]byte(patch), &pm); err != nil {
		return "", Errorf("unable to parse %q: %v", patch, err)
	}
	targets, err := parseTargets(inv.Args)
	if err != nil {
		return "", err
	}
	if len(targets) == 0 {
		return "", Errorf("required resource not specified")
	}
	out, errs := visit(env, targets, inv.Namespace, selector{}, func(o api.Object) (string, error) {
		if sub == "resize" && o.GetKind() != "Pod" {
			return "", &Error{Msg: fmt.Sprintf("Error from server (NotFound): the server could not find the requested resource (patch %s %s)",
				resourcePlural(o.GetKind()), o.Meta().Name)}
		}
		return patchOne(env, o, pm, strategic, sub == "resize")
	})
	return out, joinErrors(errs)
}

func patchOne(env *Env, live api.Object, patch map[string]any, strategic, resize bool) (string, error) {
	ref := LowerKind(live.GetKind()) + "/" + live.Meta().Name
	liveMap, err := toMap(live)
	if err != nil {
		return "", err
	}
	merged := mergePatch(liveMap, patch, strategic)
	if reflect.DeepEqual(merged, liveMap) {
		return ref + " patched (no change)\n", nil
	}
	out, ok := api.NewObject(live.GetKind())
	if !ok {
		return "", Errorf("kind %q is not supported", live.GetKind())
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return "", &Error{Msg: fmt.Sprintf("Error from server (BadRequest): %v", err)}
	}
	var changed bool
	if resize {
		changed, err = resizePod(env, live.(*api.Pod), out.(*api.Pod))
	} else {
		changed, err = updateObject(env, live, out)
	}
	if err != nil {
		return "", err
	}
	if !changed {
		return ref + " patched (no change)\n", nil
	}
	return ref + " patched\n", nil
}

// mergePatch applies an RFC 7386 merge patch to doc (a fresh map; doc is not changed); with
// strategic, the container lists merge by name.
func mergePatch(doc, patch map[string]any, strategic bool) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	for k, v := range patch {
		if v == nil {
			delete(out, k)
			continue
		}
		if pl, ok := v.([]any); ok && strategic && (k == "containers" || k == "initContainers") {
			if dl, ok := out[k].([]any); ok {
				out[k] = mergeByName(dl, pl)
				continue
			}
		}
		pv, isMap := v.(map[string]any)
		if !isMap {
			out[k] = v
			continue
		}
		dv, _ := out[k].(map[string]any)
		out[k] = mergePatch(dv, pv, strategic)
	}
	return out
}

// mergeByName is a strategic merge of a list whose patchMergeKey is name: a patch element
// merges into the element of the same name, or is appended when there is none.
func mergeByName(doc, patch []any) []any {
	out := append([]any(nil), doc...)
	for _, pe := range patch {
		pm, ok := pe.(map[string]any)
		if !ok {
			return patch // not a list of objects: replaced whole
		}
		found := false
		for i, de := range out {
			if dm, ok := de.(map[string]any); ok && dm["name"] == pm["name"] {
				out[i] = mergePatch(dm, pm, true)
				found = true
				break
			}
		}
		if !found {
			out = append(out, pm)
		}
	}
	return out
}
