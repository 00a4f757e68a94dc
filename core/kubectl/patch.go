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
// lists are replaced whole, where a strategic merge would merge them by key. `--type json`
// (RFC 6902) is not supported. Output: `statefulset.apps/web patched`, or
// `statefulset.apps/web patched (no change)`.

func init() {
	Register(&Command{Path: "patch", Flags: []string{"p|patch", "type"},
		Usage: "kubectl patch (TYPE NAME | TYPE/NAME) -p PATCH [--type strategic|merge]",
		Run:   runPatch})
}

func runPatch(env *Env, inv *Invocation) (string, error) {
	patch, ok := inv.Flag("patch")
	if !ok || patch == "" {
		return "", Errorf("must specify -p to patch")
	}
	switch t, _ := inv.Flag("type"); t {
	case "", "strategic", "merge":
	case "json":
		return "", Errorf("--type json is not supported by kubesim; use --type merge")
	default:
		return "", Errorf("--type must be one of [json merge strategic], not %q", t)
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
		return patchOne(env, o, pm)
	})
	return out, joinErrors(errs)
}

func patchOne(env *Env, live api.Object, patch map[string]any) (string, error) {
	ref := LowerKind(live.GetKind()) + "/" + live.Meta().Name
	liveMap, err := toMap(live)
	if err != nil {
		return "", err
	}
	merged := mergePatch(liveMap, patch)
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
	changed, err := updateObject(env, live, out)
	if err != nil {
		return "", err
	}
	if !changed {
		return ref + " patched (no change)\n", nil
	}
	return ref + " patched\n", nil
}

// mergePatch applies an RFC 7386 merge patch to doc (a fresh map; doc is not changed).
func mergePatch(doc, patch map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	for k, v := range patch {
		if v == nil {
			delete(out, k)
			continue
		}
		pv, isMap := v.(map[string]any)
		if !isMap {
			out[k] = v
			continue
		}
		dv, _ := out[k].(map[string]any)
		out[k] = mergePatch(dv, pv)
	}
	return out
}
