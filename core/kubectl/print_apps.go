package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// Table printers for Deployment and ReplicaSet (pkg/printers/internalversion/printers.go
// printDeployment, printReplicaSet, v1.37.2) and the Deployment describer (k8s.io/kubectl
// v0.37.2 pkg/describe/describe.go DeploymentDescriber, DescribePodTemplate).

func init() {
	RegisterPrinter(&TablePrinter{
		Kind:        "Deployment",
		Headers:     []string{"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"},
		WideHeaders: []string{"CONTAINERS", "IMAGES", "SELECTOR"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			d := o.(*api.Deployment)
			row := []string{d.Name, fmt.Sprintf("%d/%d", d.Status.ReadyReplicas, api.Deref(d.Spec.Replicas, 1)),
				fmt.Sprint(d.Status.UpdatedReplicas), fmt.Sprint(d.Status.AvailableReplicas), age(d.CreationTimestamp, now)}
			if wide {
				names, images := containerColumns(&d.Spec.Template)
				row = append(row, names, images, d.Spec.Selector.String())
			}
			return row
		},
	})
	RegisterPrinter(&TablePrinter{
		Kind:        "ReplicaSet",
		Headers:     []string{"NAME", "DESIRED", "CURRENT", "READY", "AGE"},
		WideHeaders: []string{"CONTAINERS", "IMAGES", "SELECTOR"},
		Row: func(o api.Object, now api.Time, wide bool) []string {
			rs := o.(*api.ReplicaSet)
			row := []string{rs.Name, fmt.Sprint(api.Deref(rs.Spec.Replicas, 1)), fmt.Sprint(rs.Status.Replicas),
				fmt.Sprint(rs.Status.ReadyReplicas), age(rs.CreationTimestamp, now)}
			if wide {
				names, images := containerColumns(&rs.Spec.Template)
				row = append(row, names, images, rs.Spec.Selector.String())
			}
			return row
		},
	})
	RegisterTabbedDescriber("Deployment", describeDeployment)
	RegisterTabbedDescriber("ReplicaSet", describeReplicaSet)
}

// describeReplicaSet is describe.go ReplicaSetDescriber (events are appended by describe).
func describeReplicaSet(env *Env, o api.Object, w *PrefixWriter) {
	rs := o.(*api.ReplicaSet)
	w.Write(0, "Name:\t%s\n", rs.Name)
	w.Write(0, "Namespace:\t%s\n", rs.Namespace)
	w.Write(0, "Selector:\t%s\n", rs.Spec.Selector.String())
	w.Labels("Labels", rs.Labels)
	w.Annotations("Annotations", rs.Annotations)
	if ref := api.ControllerOf(&rs.ObjectMeta); ref != nil {
		w.Write(0, "Controlled By:\t%s/%s\n", ref.Kind, ref.Name)
	}
	w.Write(0, "Replicas:\t%d current / %d desired\n", rs.Status.Replicas, api.Deref(rs.Spec.Replicas, 1))
	w.Write(0, "Pods Status:\t%s\n", podsStatus(env, rs.UID))
	describePodTemplate(w, &rs.Spec.Template)
	if len(rs.Status.Conditions) > 0 {
		w.Write(0, "Conditions:\n  Type\tStatus\tReason\n")
		w.Write(1, "----\t------\t------\n")
		for _, c := range rs.Status.Conditions {
			w.Write(1, "%v \t%v\t%v\n", c.Type, c.Status, c.Reason)
		}
	}
}

func containerColumns(t *api.PodTemplateSpec) (string, string) {
	var names, images []string
	for _, c := range t.Spec.Containers {
		names, images = append(names, c.Name), append(images, c.Image)
	}
	return strings.Join(names, ","), strings.Join(images, ",")
}

// deploymentReplicaSets returns the RSes a Deployment controls: the new one (oldest with the
// Deployment's template) and the old ones, oldest first (kubectl's deploymentutil
// GetAllReplicaSets / FindNewReplicaSet).
func deploymentReplicaSets(s *store.Store, d *api.Deployment) (newRS *api.ReplicaSet, olds []*api.ReplicaSet) {
	rss := store.ByIndexAs[*api.ReplicaSet](s, "owner", "ReplicaSet", d.UID)
	sort.SliceStable(rss, func(i, j int) bool {
		if rss[i].CreationTimestamp != rss[j].CreationTimestamp {
			return rss[i].CreationTimestamp < rss[j].CreationTimestamp
		}
		return rss[i].Name < rss[j].Name
	})
	for _, rs := range rss {
		if newRS == nil && api.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
			newRS = rs
			continue
		}
		olds = append(olds, rs)
	}
	return newRS, olds
}

func describeDeployment(env *Env, o api.Object, w *PrefixWriter) {
	d := o.(*api.Deployment)
	w.Write(0, "Name:\t%s\n", d.Name)
	w.Write(0, "Namespace:\t%s\n", d.Namespace)
	w.Write(0, "CreationTimestamp:\t%s\n", d.CreationTimestamp.RFC1123Z())
	w.Labels("Labels", d.Labels)
	w.Annotations("Annotations", d.Annotations)
	w.Write(0, "Selector:\t%s\n", d.Spec.Selector.String())
	w.Write(0, "Replicas:\t%d desired | %d updated | %d total | %d available | %d unavailable\n", api.Deref(d.Spec.Replicas, 1),
		d.Status.UpdatedReplicas, d.Status.Replicas, d.Status.AvailableReplicas, d.Status.UnavailableReplicas)
	w.Write(0, "StrategyType:\t%s\n", d.Spec.Strategy.Type)
	w.Write(0, "MinReadySeconds:\t%d\n", d.Spec.MinReadySeconds)
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil {
		w.Write(0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n", intOrStr(ru.MaxUnavailable), intOrStr(ru.MaxSurge))
	}
	describePodTemplate(w, &d.Spec.Template)
	if len(d.Status.Conditions) > 0 {
		w.Write(0, "Conditions:\n  Type\tStatus\tReason\n")
		w.Write(1, "----\t------\t------\n")
		for _, c := range d.Status.Conditions {
			w.Write(1, "%v \t%v\t%v\n", c.Type, c.Status, c.Reason)
		}
	}
	newRS, all := deploymentReplicaSets(env.Ctx.Store(), d)
	var olds []*api.ReplicaSet
	for _, rs := range all {
		if api.Deref(rs.Spec.Replicas, 1) != 0 {
			olds = append(olds, rs)
		}
	}
	w.Write(0, "OldReplicaSets:\t%s\n", replicaSetsByLabels(olds))
	var news []*api.ReplicaSet
	if newRS != nil {
		news = append(news, newRS)
	}
	w.Write(0, "NewReplicaSet:\t%s\n", replicaSetsByLabels(news))
}

func intOrStr(v *api.IntOrString) string {
	if v == nil {
		return "0"
	}
	return v.String()
}

// replicaSetsByLabels is printReplicaSetsByLabels: `web-A (1/1 replicas created)`.
func replicaSetsByLabels(rss []*api.ReplicaSet) string {
	if len(rss) == 0 {
		return "<none>"
	}
	var parts []string
	for _, rs := range rss {
		parts = append(parts, fmt.Sprintf("%s (%d/%d replicas created)", rs.Name, rs.Status.Replicas, api.Deref(rs.Spec.Replicas, 1)))
	}
	return strings.Join(parts, ", ")
}

// describePodTemplate is DescribePodTemplate: the `Pod Template:` block of describe
// deployment and `rollout history --revision`.
func describePodTemplate(w *PrefixWriter, t *api.PodTemplateSpec) {
	w.Write(0, "Pod Template:\n")
	w.Labels("  Labels", t.Labels)
	if len(t.Annotations) > 0 {
		w.Annotations("  Annotations", t.Annotations)
	}
	if t.Spec.ServiceAccountName != "" {
		w.Write(1, "Service Account:\t%s\n", t.Spec.ServiceAccountName)
	}
	if len(t.Spec.InitContainers) > 0 {
		templateContainers(w, "Init Containers", t.Spec.InitContainers)
	}
	templateContainers(w, "Containers", t.Spec.Containers)
	if len(t.Spec.Volumes) == 0 {
		w.Write(1, "Volumes:\t<none>\n")
	} else {
		w.Write(1, "Volumes:\n")
		for _, v := range t.Spec.Volumes {
			w.Write(2, "%s:\n", v.Name)
		}
	}
	if t.Spec.PriorityClassName != "" {
		w.Write(1, "Priority Class Name:\t%s\n", t.Spec.PriorityClassName)
	}
	w.Labels("  Node-Selectors", t.Spec.NodeSelector)
	if len(t.Spec.Tolerations) == 0 {
		w.Write(1, "Tolerations:\t<none>\n")
	} else {
		for i, tol := range t.Spec.Tolerations {
			title := "  Tolerations:"
			if i > 0 {
				title = ""
			}
			s := tol.Key
			if tol.Value != "" {
				s += "=" + tol.Value
			}
			if tol.Effect != "" {
				s += ":" + tol.Effect
			}
			if tol.Operator == "Exists" && tol.Key == "" {
				s = "op=Exists"
			}
			w.Write(0, "%s\t%s\n", title, s)
		}
	}
}

// templateContainers is describeContainers for a template (no statuses, space "  ").
func templateContainers(w *PrefixWriter, label string, cs []api.Container) {
	w.Write(0, "  %s:\n", label)
	for _, c := range cs {
		w.Write(0, "   %s:\n", c.Name)
		w.Write(0, "    Image:\t%s\n", c.Image)
		writePorts(w, 0, "    ", c.Ports)
		if len(c.Command) > 0 {
			w.Write(0, "    Command:\n")
			for _, x := range c.Command {
				w.Write(0, "      %s\n", x)
			}
		}
		if len(c.Args) > 0 {
			w.Write(0, "    Args:\n")
			for _, x := range c.Args {
				w.Write(0, "      %s\n", x)
			}
		}
		for _, sect := range []struct {
			title string
			list  api.ResourceList
		}{{"Limits", c.Resources.Limits}, {"Requests", c.Resources.Requests}} {
			if len(sect.list) == 0 {
				continue
			}
			w.Write(0, "    %s:\n", sect.title)
			for _, name := range api.SortedKeys(sect.list) {
				q := sect.list[name]
				w.Write(0, "      %s:\t%s\n", name, q.String())
			}
		}
		for _, p := range []struct {
			title string
			probe *api.Probe
		}{{"Liveness", c.LivenessProbe}, {"Readiness", c.ReadinessProbe}, {"Startup", c.StartupProbe}} {
			if p.probe != nil {
				w.Write(0, "    %s:\t%s\n", p.title, DescribeProbe(p.probe))
			}
		}
		if len(c.Env) == 0 {
			w.Write(0, "    Environment:\t<none>\n")
		} else {
			w.Write(0, "    Environment:\n")
			for _, e := range c.Env {
				w.Write(0, "      %s:\t%s\n", e.Name, e.Value)
			}
		}
		if len(c.VolumeMounts) == 0 {
			w.Write(0, "    Mounts:\t<none>\n")
		} else {
			w.Write(0, "    Mounts:\n")
			for _, m := range c.VolumeMounts {
				ro := "rw"
				if m.ReadOnly {
					ro = "ro"
				}
				w.Write(0, "      %s from %s (%s)\n", m.MountPath, m.Name, ro)
			}
		}
	}
}
