package kubectl

import (
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// `kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE ...` for Deployments,
// ReplicaSets, StatefulSets and Pods (k8s.io/kubectl v0.37.2 pkg/cmd/set/set_image.go):
// prints `deployment.apps/web image updated`; `*` names every container; an unchanged
// object prints nothing.

func init() {
	Register(&Command{Path: "set image", Flags: []string{"all!"},
		Usage: "kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N",
		Run:   runSetImage})
}

func runSetImage(env *Env, inv *Invocation) (string, error) {
	var resArgs []string
	images := map[string]string{}
	var order []string
	for _, a := range inv.Args {
		if name, img, ok := strings.Cut(a, "="); ok && !strings.Contains(name, "/") {
			if name == "" || img == "" {
				return "", Errorf("invalid image %s", a)
			}
			images[name] = img
			order = append(order, name)
			continue
		}
		resArgs = append(resArgs, a)
	}
	if len(images) == 0 {
		return "", Errorf("at least one image update is required")
	}
	targets, err := parseTargets(resArgs)
	if err != nil {
		return "", err
	}
	if len(targets) == 0 {
		return "", Errorf("one or more resources must be specified as <resource> <name> or <resource>/<name>")
	}
	out, errs := visit(env, targets, inv.Namespace, selector{}, func(o api.Object) (string, error) {
		return setImageOne(env, o, images, order)
	})
	return out, joinErrors(errs)
}

func setImageOne(env *Env, o api.Object, images map[string]string, order []string) (string, error) {
	cp := api.Clone(o)
	var spec *api.PodSpec
	switch x := cp.(type) {
	case *api.Deployment:
		spec = &x.Spec.Template.Spec
	case *api.ReplicaSet:
		spec = &x.Spec.Template.Spec
	case *api.StatefulSet:
		spec = &x.Spec.Template.Spec
	case *api.Pod:
		spec = &x.Spec
	default:
		return "", Errorf("%s/%s the object is not a pod or does not have a pod template: %T", LowerKind(o.GetKind()), o.Meta().Name, o)
	}
	changed := false
	for _, name := range order {
		img := images[name]
		found := false
		for _, list := range []*[]api.Container{&spec.InitContainers, &spec.Containers} {
			for i := range *list {
				c := &(*list)[i]
				if name == "*" || c.Name == name {
					found = true
					if c.Image != img {
						c.Image = img
						changed = true
					}
				}
			}
		}
		if !found {
			return "", Errorf("unable to find container named %q", name)
		}
	}
	if !changed {
		return "", nil
	}
	if _, err := updateObject(env, o, cp); err != nil {
		return "", err
	}
	return objectRef(o) + " image updated\n", nil
}
