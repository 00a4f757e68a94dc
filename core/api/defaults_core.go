package api

import "strings"

// Pod and Node defaulting, as the API server applies it on create
// (pkg/apis/core/v1/defaults.go v1.37.2, plus the DefaultTolerationSeconds admission plugin,
// plugin/pkg/admission/defaulttolerationseconds/admission.go).

// DefaultTolerationSeconds is the tolerationSeconds the DefaultTolerationSeconds admission
// plugin gives the not-ready and unreachable NoExecute tolerations (pods.md §9.3).
const DefaultTolerationSeconds int64 = 300

// DefaultSchedulerName is the scheduler a pod gets when it names none.
const DefaultSchedulerName = "default-scheduler"

func init() {
	RegisterDefaults("Pod", func(o Object) { DefaultPod(o.(*Pod)) })
	RegisterDefaults("Node", func(o Object) { DefaultNode(o.(*Node)) })
}

// DefaultPod applies the API defaults and the DefaultTolerationSeconds admission plugin to a
// pod about to be created. It is idempotent, so controllers that create pods from an already
// defaulted template may call it again.
func DefaultPod(p *Pod) {
	if p.Namespace == "" {
		p.Namespace = "default"
	}
	DefaultPodSpec(&p.Spec)
	addDefaultTolerations(&p.Spec)
	mergeAffinityLabelKeys(p)
}

// mergeAffinityLabelKeys is the pod strategy's applyMatchLabelKeysAndMismatchLabelKeys
// (pkg/registry/core/pod/strategy.go, MatchLabelKeysInPodAffinity GA in 1.33): each
// matchLabelKeys key the pod has becomes "key In (value)" in the term's labelSelector, each
// mismatchLabelKeys key "key NotIn (value)"; keys the pod lacks and terms without a selector are
// left alone. A requirement already present is not added twice, so calling it again is a no-op.
func mergeAffinityLabelKeys(p *Pod) {
	a := p.Spec.Affinity
	if a == nil {
		return
	}
	merge := func(t *PodAffinityTerm) {
		if t.LabelSelector == nil {
			return
		}
		add := func(keys []string, op string) {
			for _, k := range keys {
				v, ok := p.Labels[k]
				if !ok {
					continue
				}
				r := LabelSelectorRequirement{Key: k, Operator: op, Values: []string{v}}
				dup := false
				for _, o := range t.LabelSelector.MatchExpressions {
					dup = dup || (o.Key == r.Key && o.Operator == r.Operator && len(o.Values) == 1 && o.Values[0] == v)
				}
				if !dup {
					t.LabelSelector.MatchExpressions = append(t.LabelSelector.MatchExpressions, r)
				}
			}
		}
		add(t.MatchLabelKeys, "In")
		add(t.MismatchLabelKeys, "NotIn")
	}
	for _, pa := range []*PodAffinity{a.PodAffinity, a.PodAntiAffinity} {
		if pa == nil {
			continue
		}
		for i := range pa.RequiredDuringSchedulingIgnoredDuringExecution {
			merge(&pa.RequiredDuringSchedulingIgnoredDuringExecution[i])
		}
		for i := range pa.PreferredDuringSchedulingIgnoredDuringExecution {
			merge(&pa.PreferredDuringSchedulingIgnoredDuringExecution[i].PodAffinityTerm)
		}
	}
}

// DefaultPodSpec applies the API defaults to a pod spec (also used for the pod templates of
// Deployments, ReplicaSets and StatefulSets, which upstream defaults the same way):
// restartPolicy Always, terminationGracePeriodSeconds 30, dnsPolicy ClusterFirst, schedulerName
// default-scheduler, and per container imagePullPolicy, port protocol TCP, probe timings,
// termination message path/policy, and requests copied from limits when unset.
func DefaultPodSpec(s *PodSpec) {
	if s.RestartPolicy == "" {
		s.RestartPolicy = RestartAlways
	}
	if s.TerminationGracePeriodSeconds == nil {
		s.TerminationGracePeriodSeconds = Ptr(int64(30))
	}
	if s.DNSPolicy == "" {
		s.DNSPolicy = "ClusterFirst"
	}
	if s.SchedulerName == "" {
		s.SchedulerName = DefaultSchedulerName
	}
	if s.EnableServiceLinks == nil {
		s.EnableServiceLinks = Ptr(true)
	}
	if s.SecurityContext == nil {
		s.SecurityContext = &PodSecurityContext{}
	}
	for i := range s.InitContainers {
		defaultContainer(&s.InitContainers[i])
	}
	for i := range s.Containers {
		defaultContainer(&s.Containers[i])
	}
}

func defaultContainer(c *Container) {
	if c.ImagePullPolicy == "" {
		c.ImagePullPolicy = DefaultImagePullPolicy(c.Image)
	}
	if c.TerminationMessagePath == "" {
		c.TerminationMessagePath = "/dev/termination-log"
	}
	if c.TerminationMessagePolicy == "" {
		c.TerminationMessagePolicy = "File"
	}
	for i := range c.Ports {
		if c.Ports[i].Protocol == "" {
			c.Ports[i].Protocol = "TCP"
		}
	}
	// SetDefaults_Pod: a container with limits but no requests requests its limits.
	for _, name := range SortedKeys(c.Resources.Limits) {
		if _, ok := c.Resources.Requests[name]; !ok {
			if c.Resources.Requests == nil {
				c.Resources.Requests = ResourceList{}
			}
			c.Resources.Requests[name] = c.Resources.Limits[name]
		}
	}
	for _, p := range []*Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
		if p != nil {
			DefaultProbe(p)
		}
	}
	if c.Lifecycle != nil {
		for _, h := range []*LifecycleHandler{c.Lifecycle.PostStart, c.Lifecycle.PreStop} {
			if h != nil && h.HTTPGet != nil {
				defaultHTTPGet(h.HTTPGet)
			}
		}
	}
}

// DefaultImagePullPolicy is SetDefaults_Container's rule: Always for an image with the
// ":latest" tag or no tag (and no digest), IfNotPresent otherwise.
func DefaultImagePullPolicy(image string) string {
	if strings.Contains(image, "@") {
		return "IfNotPresent"
	}
	name := image
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	tag := ""
	if i := strings.LastIndex(name, ":"); i >= 0 {
		tag = name[i+1:]
	}
	if tag == "" || tag == "latest" {
		return "Always"
	}
	return "IfNotPresent"
}

// DefaultProbe fills unset probe timings (SetDefaults_Probe): period 10 s, timeout 1 s,
// success threshold 1, failure threshold 3; an HTTP probe gets path "/" and scheme HTTP.
func DefaultProbe(p *Probe) {
	if p.TimeoutSeconds == 0 {
		p.TimeoutSeconds = 1
	}
	if p.PeriodSeconds == 0 {
		p.PeriodSeconds = 10
	}
	if p.SuccessThreshold == 0 {
		p.SuccessThreshold = 1
	}
	if p.FailureThreshold == 0 {
		p.FailureThreshold = 3
	}
	if p.HTTPGet != nil {
		defaultHTTPGet(p.HTTPGet)
	}
}

func defaultHTTPGet(h *HTTPGetAction) {
	if h.Path == "" {
		h.Path = "/"
	}
	if h.Scheme == "" {
		h.Scheme = "HTTP"
	}
}

// addDefaultTolerations is the DefaultTolerationSeconds admission plugin: every pod that does
// not already tolerate node.kubernetes.io/not-ready or /unreachable with effect NoExecute gets
// a toleration for it with tolerationSeconds 300 (pods.md §9.3).
func addDefaultTolerations(s *PodSpec) {
	for _, key := range []string{TaintNodeNotReady, TaintNodeUnreachable} {
		taint := Taint{Key: key, Effect: TaintNoExecute}
		tolerated := false
		for i := range s.Tolerations {
			if s.Tolerations[i].ToleratesTaint(&taint) {
				tolerated = true
				break
			}
		}
		if !tolerated {
			s.Tolerations = append(s.Tolerations, Toleration{Key: key, Operator: "Exists",
				Effect: TaintNoExecute, TolerationSeconds: Ptr(DefaultTolerationSeconds)})
		}
	}
}

// DefaultNode fills a node's unset allocatable from its capacity (and vice versa) and the
// default pod capacity of 110.
func DefaultNode(n *Node) {
	// pkg/apis/core/v1/conversion.go: podCIDRs is the source of truth, and a client that sets
	// only podCIDR gets podCIDRs = [podCIDR].
	if len(n.Spec.PodCIDRs) == 0 && n.Spec.PodCIDR != "" {
		n.Spec.PodCIDRs = []string{n.Spec.PodCIDR}
	}
	if len(n.Spec.PodCIDRs) > 0 {
		n.Spec.PodCIDR = n.Spec.PodCIDRs[0]
	}
	if n.Status.Capacity == nil {
		n.Status.Capacity = ResourceList{}
	}
	if n.Status.Allocatable == nil {
		n.Status.Allocatable = ResourceList{}
	}
	for _, k := range SortedKeys(n.Status.Capacity) {
		if _, ok := n.Status.Allocatable[k]; !ok {
			n.Status.Allocatable[k] = n.Status.Capacity[k]
		}
	}
	for _, k := range SortedKeys(n.Status.Allocatable) {
		if _, ok := n.Status.Capacity[k]; !ok {
			n.Status.Capacity[k] = n.Status.Allocatable[k]
		}
	}
	if _, ok := n.Status.Allocatable["pods"]; !ok {
		n.Status.Allocatable["pods"] = MustQuantity("110")
		n.Status.Capacity["pods"] = MustQuantity("110")
	}
}
