package kubectl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/controllers/kubelet"
	"github.com/kubesim/kubesim/core/store"
)

// ConfigMaps and Secrets: `kubectl create configmap|cm NAME --from-literal=k=v ...` and
// `kubectl create secret generic NAME [--type=T] --from-literal=k=v ...` (k8s.io/kubectl
// v0.37.2 pkg/cmd/create/create_configmap.go, create_secret.go: ParseLiteralSource and the
// key checks, output `configmap/NAME created`), their describers (pkg/describe/describe.go
// describeConfigMap, describeSecret: secret values shown as "N bytes"), and what a container
// sees of them through `kubectl exec`: `env`, `printenv NAME`, `cat FILE` and `ls DIR` in
// its mounted configMap, secret and projected volumes (the kubelet's config.go).

func init() {
	for _, alias := range []string{"configmap", "cm"} {
		Register(&Command{Path: "create " + alias, Flags: []string{"from-literal*"},
			Usage: "kubectl create configmap NAME [--from-literal=key1=value1]", Run: runCreateConfigMap})
	}
	Register(&Command{Path: "create secret generic", Flags: []string{"from-literal*", "type"},
		Usage: "kubectl create secret generic NAME [--type=string] [--from-literal=key1=value1]", Run: runCreateSecret})
	RegisterTabbedDescriber("ConfigMap", describeConfigMap)
	RegisterTabbedDescriber("Secret", describeSecret)
}

// literals parses the --from-literal values (ParseLiteralSource), checking each key with
// check, which also refuses duplicates.
func literals(inv *Invocation, check func(k string, seen map[string]string) error) (map[string]string, error) {
	data := map[string]string{}
	for _, src := range inv.FlagValues("from-literal") {
		k, v, ok := strings.Cut(src, "=")
		if !ok || k == "" {
			return nil, Errorf("invalid literal source %s, expected key=value", src)
		}
		if err := check(k, data); err != nil {
			return nil, err
		}
		data[k] = v
	}
	return data, nil
}

func oneName(inv *Invocation) (string, error) {
	if len(inv.Args) != 1 {
		return "", Errorf("exactly one NAME is required, got %d", len(inv.Args))
	}
	return inv.Args[0], nil
}

func runCreateConfigMap(env *Env, inv *Invocation) (string, error) {
	name, err := oneName(inv)
	if err != nil {
		return "", err
	}
	data, err := literals(inv, func(k string, seen map[string]string) error {
		if errs := api.ConfigKeyErrors(k); len(errs) > 0 {
			return Errorf("%q is not a valid key name for a ConfigMap: %s", k, strings.Join(errs, ";"))
		}
		if _, dup := seen[k]; dup {
			return Errorf("cannot add key %q, another key by that name already exists in Data for ConfigMap %q", k, name)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	cm := &api.ConfigMap{TypeMeta: api.TypeMeta{Kind: "ConfigMap", APIVersion: "v1"},
		ObjectMeta: api.ObjectMeta{Name: name, Namespace: inv.Namespace}, Data: data}
	if err := createObject(env, cm); err != nil {
		return "", err
	}
	return "configmap/" + name + " created\n", nil
}

func runCreateSecret(env *Env, inv *Invocation) (string, error) {
	name, err := oneName(inv)
	if err != nil {
		return "", err
	}
	data, err := literals(inv, func(k string, seen map[string]string) error {
		if errs := api.ConfigKeyErrors(k); len(errs) > 0 {
			return Errorf("%q is not valid key name for a Secret %s", k, strings.Join(errs, ";"))
		}
		if _, dup := seen[k]; dup {
			return Errorf("cannot add key %s, another key by that name already exists", k)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	typ, _ := inv.Flag("type")
	s := &api.Secret{TypeMeta: api.TypeMeta{Kind: "Secret", APIVersion: "v1"},
		ObjectMeta: api.ObjectMeta{Name: name, Namespace: inv.Namespace}, Type: typ, StringData: data}
	if err := createObject(env, s); err != nil {
		return "", err
	}
	return "secret/" + name + " created\n", nil
}

func describeConfigMap(env *Env, o api.Object, w *PrefixWriter) {
	c := o.(*api.ConfigMap)
	w.Write(0, "Name:\t%s\n", c.Name)
	w.Write(0, "Namespace:\t%s\n", c.Namespace)
	w.Labels("Labels", c.Labels)
	w.Annotations("Annotations", c.Annotations)
	w.Write(0, "\nData\n====\n")
	for _, k := range api.SortedKeys(c.Data) {
		w.Write(0, "%s:\n----\n%s\n\n", k, c.Data[k])
	}
	w.Write(0, "\nBinaryData\n====\n")
	for _, k := range api.SortedKeys(c.BinaryData) {
		w.Write(0, "%s: %d bytes\n", k, len(c.Values()[k]))
	}
	w.Write(0, "\n")
}

func describeSecret(env *Env, o api.Object, w *PrefixWriter) {
	s := o.(*api.Secret)
	w.Write(0, "Name:\t%s\n", s.Name)
	w.Write(0, "Namespace:\t%s\n", s.Namespace)
	w.Labels("Labels", s.Labels)
	w.Annotations("Annotations", s.Annotations)
	w.Write(0, "\nType:\t%s\n", s.Type)
	w.Write(0, "\nData\n====\n")
	v := s.Values()
	for _, k := range api.SortedKeys(v) {
		w.Write(0, "%s:\t%d bytes\n", k, len(v[k]))
	}
}

// execConfig answers env, printenv, cat and ls from what the kubelet gave the container:
// the environment of its running instance and the files of its mounted volumes. ok is false
// for other commands. The Kubernetes service variables and the image's own (PATH ...) are
// not modelled: env lists the container's spec variables only.
func execConfig(env *Env, p *api.Pod, container string, cmd []string) (out string, err error, ok bool) {
	rt, _ := store.GetAs[*kubelet.PodRuntime](env.Ctx.Store(), kubelet.RuntimeKind, p.Namespace+"/"+p.Name)
	var cfg kubelet.ConfigState
	if rt != nil && rt.Config != nil {
		cfg = *rt.Config
	}
	switch {
	case (cmd[0] == "env" || cmd[0] == "printenv") && len(cmd) == 1:
		var b strings.Builder
		for _, kv := range cfg.Env[container] {
			b.WriteString(kv + "\n")
		}
		return b.String(), nil, true
	case cmd[0] == "printenv" && len(cmd) == 2:
		for _, kv := range cfg.Env[container] {
			if k, v, _ := strings.Cut(kv, "="); k == cmd[1] {
				return v + "\n", nil, true
			}
		}
		return "", errExit(1), true
	case (cmd[0] == "cat" || cmd[0] == "ls") && len(cmd) == 2:
		files, dirs, found := lookupPath(p, container, cfg.Files, cmd[1])
		switch {
		case !found:
			return "", &Error{Msg: fmt.Sprintf("%s: %s: No such file or directory\ncommand terminated with exit code %d",
				cmd[0], quoteLs(cmd[0], cmd[1]), map[string]int{"cat": 1, "ls": 2}[cmd[0]])}, true
		case cmd[0] == "cat" && dirs != nil:
			return "", &Error{Msg: fmt.Sprintf("cat: %s: Is a directory\ncommand terminated with exit code 1", cmd[1])}, true
		case cmd[0] == "cat":
			return files, nil, true
		case dirs == nil:
			return cmd[1] + "\n", nil, true
		}
		var b strings.Builder
		for _, d := range dirs {
			b.WriteString(d + "\n")
		}
		return b.String(), nil, true
	}
	return "", nil, false
}

func quoteLs(cmd, path string) string {
	if cmd == "ls" {
		return "cannot access '" + path + "'"
	}
	return path
}

// lookupPath resolves path in the container's configMap/secret/projected mounts: a file's
// content, or the sorted entries of a directory (dirs non-nil).
func lookupPath(p *api.Pod, container string, vols map[string]map[string]string, path string) (content string, dirs []string, found bool) {
	var c *api.Container
	for i := range p.Spec.Containers {
		if p.Spec.Containers[i].Name == container {
			c = &p.Spec.Containers[i]
		}
	}
	if c == nil {
		return "", nil, false
	}
	path = strings.TrimSuffix(path, "/")
	for _, m := range c.VolumeMounts {
		files, ok := vols[m.Name]
		if !ok {
			continue
		}
		root := strings.TrimSuffix(m.MountPath, "/")
		if m.SubPath != "" {
			if path == root {
				d, ok := files[m.SubPath]
				return d, nil, ok
			}
			continue
		}
		if path != root && !strings.HasPrefix(path, root+"/") {
			continue
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(path, root), "/")
		if d, ok := files[rel]; ok && rel != "" {
			return d, nil, true
		}
		prefix := rel + "/"
		if rel == "" {
			prefix = ""
		}
		entries := []string{}
		for _, f := range api.SortedKeys(files) {
			if rest, ok := strings.CutPrefix(f, prefix); ok {
				first, _, _ := strings.Cut(rest, "/")
				if !slices.Contains(entries, first) {
					entries = append(entries, first)
				}
			}
		}
		if rel == "" || len(entries) > 0 {
			return "", entries, true
		}
	}
	return "", nil, false
}
