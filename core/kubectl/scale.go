package kubectl

import (
	"fmt"
	"strconv"

	"github.com/kubesim/kubesim/core/api"
)

// `kubectl scale (TYPE NAME | TYPE/NAME) --replicas=COUNT` for Deployments, ReplicaSets and
// StatefulSets (k8s.io/kubectl v0.37.2 pkg/cmd/scale): prints `deployment.apps/web scaled`.

func init() {
	Register(&Command{Path: "scale", Flags: []string{"replicas", "current-replicas"},
		Usage: "kubectl scale [--current-replicas=count] --replicas=COUNT (TYPE NAME | TYPE/NAME)",
		Run:   runScale})
}

func runScale(env *Env, inv *Invocation) (string, error) {
	replicas := int64(-1)
	if v, ok := inv.Flag("replicas"); ok {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return "", Errorf("invalid argument %q for \"--replicas\" flag: %v", v, err)
		}
		replicas = n
	}
	if replicas < 0 {
		return "", Errorf("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
	}
	targets, err := parseTargets(inv.Args)
	if err != nil {
		return "", err
	}
	if len(targets) == 0 {
		return "", Errorf("required resource not specified")
	}
	out, errs := visit(env, targets, inv.Namespace, selector{}, func(o api.Object) (string, error) {
		return scaleOne(env, inv, o, int32(replicas))
	})
	return out, joinErrors(errs)
}

func scaleOne(env *Env, inv *Invocation, o api.Object, n int32) (string, error) {
	var cur *int32
	cp := api.Clone(o)
	switch x := cp.(type) {
	case *api.Deployment:
		cur, x.Spec.Replicas = x.Spec.Replicas, &n
	case *api.ReplicaSet:
		cur, x.Spec.Replicas = x.Spec.Replicas, &n
	case *api.StatefulSet:
		cur, x.Spec.Replicas = x.Spec.Replicas, &n
	default:
		return "", &Error{Msg: fmt.Sprintf("error: cannot scale %s: the server could not find the requested resource", resourcePlural(o.GetKind()))}
	}
	if v, ok := inv.Flag("current-replicas"); ok {
		want, err := strconv.ParseInt(v, 10, 32)
		if err == nil && want >= 0 && int32(want) != api.Deref(cur, 1) {
			return "", Errorf("Expected replicas to be %d, was %d", want, api.Deref(cur, 1))
		}
	}
	if _, err := updateObject(env, o, cp); err != nil {
		return "", err
	}
	return objectRef(o) + " scaled\n", nil
}
