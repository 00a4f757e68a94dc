package trace

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// State is the compact cluster view written after every instant at which anything changed.
// Every field is always present (empty lists as []), so tools can rely on them.
type State struct {
	Deployments  []DeploymentState  `json:"deployments"`
	ReplicaSets  []ReplicaSetState  `json:"replicaSets"`
	StatefulSets []StatefulSetState `json:"statefulSets"`
	Pods         []PodState         `json:"pods"`
	PVCs         []PVCState         `json:"pvcs"`
	DNS          []DNSState         `json:"dns"`
	// HPAs is present only when the cluster has HorizontalPodAutoscalers, so traces of
	// scenarios without one stay as they were.
	HPAs []HPAState `json:"hpas,omitempty"`
	// PDBs is omitted when the cluster has no PodDisruptionBudget (traces of clusters
	// without budgets read as before budgets were simulated).
	PDBs []PDBState `json:"pdbs,omitempty"`
}

// HPAState summarises a HorizontalPodAutoscaler the way `kubectl get hpa` shows it.
type HPAState struct {
	Name            string `json:"name"`
	Reference       string `json:"reference"`
	Targets         string `json:"targets"`
	MinReplicas     int32  `json:"minReplicas"`
	MaxReplicas     int32  `json:"maxReplicas"`
	CurrentReplicas int32  `json:"currentReplicas"`
	DesiredReplicas int32  `json:"desiredReplicas"`
	// CurrentUtilization and TargetUtilization are the first metric's, in percent of
	// request (absent for average-value targets and before the first sample).
	CurrentUtilization *int32 `json:"currentUtilization,omitempty"`
	TargetUtilization  *int32 `json:"targetUtilization,omitempty"`
}

// PDBState summarises a PodDisruptionBudget's status.
type PDBState struct {
	Name               string `json:"name"`
	CurrentHealthy     int32  `json:"currentHealthy"`
	DesiredHealthy     int32  `json:"desiredHealthy"`
	ExpectedPods       int32  `json:"expectedPods"`
	DisruptionsAllowed int32  `json:"disruptionsAllowed"`
}

// DeploymentState summarises a Deployment.
type DeploymentState struct {
	Name        string           `json:"name"`
	Replicas    int32            `json:"replicas"`
	Updated     int32            `json:"updated"`
	Ready       int32            `json:"ready"`
	Available   int32            `json:"available"`
	Unavailable int32            `json:"unavailable"`
	Conditions  []ConditionState `json:"conditions"`
}

// ConditionState is one condition's type, status and reason.
type ConditionState struct {
	Type   string `json:"type"`
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// ReplicaSetState summarises a ReplicaSet.
type ReplicaSetState struct {
	Name         string   `json:"name"`
	Owner        string   `json:"owner"`
	Revision     int64    `json:"revision"`
	Images       []string `json:"images"`
	SpecReplicas int32    `json:"specReplicas"`
	Replicas     int32    `json:"replicas"`
	Ready        int32    `json:"ready"`
	Available    int32    `json:"available"`
}

// StatefulSetState summarises a StatefulSet.
type StatefulSetState struct {
	Name            string `json:"name"`
	Replicas        int32  `json:"replicas"`
	Ready           int32  `json:"ready"`
	Current         int32  `json:"current"`
	Updated         int32  `json:"updated"`
	CurrentRevision string `json:"currentRevision"`
	UpdateRevision  string `json:"updateRevision"`
}

// PodState summarises a Pod the way `kubectl get pods` shows it.
type PodState struct {
	Name  string `json:"name"`
	Owner string `json:"owner"`
	// Revision is the number of the ReplicaSet or ControllerRevision the pod was made from
	// (0 for a pod no controller made).
	Revision    int64  `json:"revision"`
	Node        string `json:"node"`
	Phase       string `json:"phase"`
	Status      string `json:"status"`
	Ready       bool   `json:"ready"`
	Restarts    int32  `json:"restarts"`
	Terminating bool   `json:"terminating"`
}

// PVCState summarises a PersistentVolumeClaim.
type PVCState struct {
	Name   string `json:"name"`
	Phase  string `json:"phase"`
	Volume string `json:"volume"`
}

// DNSState is one DNS answer.
type DNSState struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Data string `json:"data"`
}

// Annotation and label keys the state view reads.
const (
	RevisionAnnotation          = "deployment.kubernetes.io/revision"
	ControllerRevisionHashLabel = "controller-revision-hash"
)

// nsName renders "name" for the default namespace and "ns/name" otherwise.
func nsName(m *api.ObjectMeta) string {
	if m.Namespace == "" || m.Namespace == "default" {
		return m.Name
	}
	return m.Namespace + "/" + m.Name
}

// BuildState reads the store into a State. It reads no controller's hidden kinds
// (sim.KindOwner): the engine does not build a state after writes of those alone.
func BuildState(s *store.Store) *State {
	st := &State{Deployments: []DeploymentState{}, ReplicaSets: []ReplicaSetState{}, StatefulSets: []StatefulSetState{},
		Pods: []PodState{}, PVCs: []PVCState{}, DNS: []DNSState{}}
	for _, d := range store.ListAs[*api.Deployment](s, "Deployment", "") {
		ds := DeploymentState{Name: nsName(&d.ObjectMeta), Replicas: api.Deref(d.Spec.Replicas, 1),
			Updated: d.Status.UpdatedReplicas, Ready: d.Status.ReadyReplicas, Available: d.Status.AvailableReplicas,
			Unavailable: d.Status.UnavailableReplicas, Conditions: []ConditionState{}}
		for _, c := range d.Status.Conditions {
			ds.Conditions = append(ds.Conditions, ConditionState{c.Type, c.Status, c.Reason})
		}
		st.Deployments = append(st.Deployments, ds)
	}
	rsRevision := map[string]int64{} // by UID
	for _, rs := range store.ListAs[*api.ReplicaSet](s, "ReplicaSet", "") {
		rev, _ := strconv.ParseInt(rs.Annotations[RevisionAnnotation], 10, 64)
		rsRevision[rs.UID] = rev
		rss := ReplicaSetState{Name: nsName(&rs.ObjectMeta), Revision: rev, Images: []string{},
			SpecReplicas: api.Deref(rs.Spec.Replicas, 1), Replicas: rs.Status.Replicas,
			Ready: rs.Status.ReadyReplicas, Available: rs.Status.AvailableReplicas}
		if r := api.ControllerOf(&rs.ObjectMeta); r != nil {
			rss.Owner = r.Kind + "/" + r.Name
		}
		for _, c := range rs.Spec.Template.Spec.Containers {
			rss.Images = append(rss.Images, c.Image)
		}
		st.ReplicaSets = append(st.ReplicaSets, rss)
	}
	crRevision := map[string]int64{} // ControllerRevision name (namespace-qualified) -> revision
	for _, cr := range store.ListAs[*api.ControllerRevision](s, "ControllerRevision", "") {
		crRevision[cr.Namespace+"/"+cr.Name] = cr.Revision
	}
	for _, ss := range store.ListAs[*api.StatefulSet](s, "StatefulSet", "") {
		st.StatefulSets = append(st.StatefulSets, StatefulSetState{Name: nsName(&ss.ObjectMeta),
			Replicas: api.Deref(ss.Spec.Replicas, 1), Ready: ss.Status.ReadyReplicas,
			Current: ss.Status.CurrentReplicas, Updated: ss.Status.UpdatedReplicas,
			CurrentRevision: ss.Status.CurrentRevision, UpdateRevision: ss.Status.UpdateRevision})
	}
	pods := store.ListAs[*api.Pod](s, "Pod", "")
	st.Pods = make([]PodState, 0, len(pods)) // 10,000 pods: growing the slice was half the cost
	for _, p := range pods {
		// Everything but the revision depends on the pod alone: derived once per pod
		// version, so the states of consecutive instants share their strings.
		ps := s.Derived(p, "trace/pod", podState).(PodState)
		if r := api.ControllerOf(&p.ObjectMeta); r != nil {
			switch r.Kind {
			case "ReplicaSet":
				ps.Revision = rsRevision[r.UID]
			case "StatefulSet":
				ps.Revision = crRevision[p.Namespace+"/"+p.Labels[ControllerRevisionHashLabel]]
			}
		}
		st.Pods = append(st.Pods, ps)
	}
	for _, c := range store.ListAs[*api.PersistentVolumeClaim](s, "PersistentVolumeClaim", "") {
		st.PVCs = append(st.PVCs, PVCState{Name: nsName(&c.ObjectMeta), Phase: c.Status.Phase, Volume: c.Spec.VolumeName})
	}
	for _, b := range store.ListAs[*api.PodDisruptionBudget](s, "PodDisruptionBudget", "") {
		st.PDBs = append(st.PDBs, PDBState{Name: nsName(&b.ObjectMeta), CurrentHealthy: b.Status.CurrentHealthy,
			DesiredHealthy: b.Status.DesiredHealthy, ExpectedPods: b.Status.ExpectedPods, DisruptionsAllowed: b.Status.DisruptionsAllowed})
	}
	for _, r := range store.ListAs[*api.DNSRecord](s, "DNSRecord", "") {
		st.DNS = append(st.DNS, DNSState{Name: r.FQDN, Type: r.Type, Data: r.Data})
	}
	for _, h := range store.ListAs[*api.HorizontalPodAutoscaler](s, "HorizontalPodAutoscaler", "") {
		hs := HPAState{Name: nsName(&h.ObjectMeta), Reference: h.Spec.ScaleTargetRef.Kind + "/" + h.Spec.ScaleTargetRef.Name,
			Targets: api.HPATargets(h), MinReplicas: h.MinReplicasOrDefault(), MaxReplicas: h.Spec.MaxReplicas,
			CurrentReplicas: h.Status.CurrentReplicas, DesiredReplicas: h.Status.DesiredReplicas}
		if len(h.Spec.Metrics) > 0 && h.Spec.Metrics[0].Resource != nil {
			hs.TargetUtilization = h.Spec.Metrics[0].Resource.Target.AverageUtilization
			if len(h.Status.CurrentMetrics) > 0 && h.Status.CurrentMetrics[0].Resource != nil {
				hs.CurrentUtilization = h.Status.CurrentMetrics[0].Resource.Current.AverageUtilization
			}
		}
		st.HPAs = append(st.HPAs, hs)
	}
	return st
}

// podState is a pod's PodState without its revision.
func podState(o api.Object) any {
	p := o.(*api.Pod)
	ps := PodState{Name: nsName(&p.ObjectMeta), Node: p.Spec.NodeName, Phase: p.Status.Phase,
		Status: api.PodStatusColumn(p), Ready: p.IsReady(), Restarts: p.TotalRestarts(),
		Terminating: p.IsTerminating()}
	if r := api.ControllerOf(&p.ObjectMeta); r != nil {
		ps.Owner = r.Kind + "/" + r.Name
	}
	return ps
}

// TextLines renders a state as the compact lines of the text timeline: one line per
// Deployment, ReplicaSet and StatefulSet, then one per pod.
func (st *State) TextLines() []string {
	var out []string
	for _, d := range st.Deployments {
		out = append(out, fmt.Sprintf("deploy/%s  ready %d/%d  up-to-date %d  available %d", d.Name, d.Ready, d.Replicas, d.Updated, d.Available))
	}
	for _, r := range st.ReplicaSets {
		out = append(out, fmt.Sprintf("rs/%s  rev %d  desired %d  current %d  ready %d  %s", r.Name, r.Revision, r.SpecReplicas, r.Replicas, r.Ready, strings.Join(r.Images, ",")))
	}
	for _, s := range st.StatefulSets {
		out = append(out, fmt.Sprintf("sts/%s  ready %d/%d  current %d  updated %d", s.Name, s.Ready, s.Replicas, s.Current, s.Updated))
	}
	for _, p := range st.Pods {
		node := p.Node
		if node == "" {
			node = "<none>"
		}
		out = append(out, fmt.Sprintf("pod/%s  %s  %s  restarts %d  %s", p.Name, readyWord(p.Ready), p.Status, p.Restarts, node))
	}
	for _, c := range st.PVCs {
		out = append(out, fmt.Sprintf("pvc/%s  %s  %s", c.Name, c.Phase, c.Volume))
	}
	for _, d := range st.DNS {
		out = append(out, fmt.Sprintf("dns %s %s %s", d.Name, d.Type, d.Data))
	}
	for _, h := range st.HPAs {
		out = append(out, fmt.Sprintf("hpa/%s  %s  %s  min %d  max %d  replicas %d  desired %d", h.Name, h.Reference, h.Targets,
			h.MinReplicas, h.MaxReplicas, h.CurrentReplicas, h.DesiredReplicas))
	}
	for _, b := range st.PDBs {
		out = append(out, fmt.Sprintf("pdb/%s  allowed %d  healthy %d  desired %d  expected %d", b.Name, b.DisruptionsAllowed, b.CurrentHealthy, b.DesiredHealthy, b.ExpectedPods))
	}
	return out
}

func readyWord(b bool) string {
	if b {
		return "ready"
	}
	return "not-ready"
}
