package api

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Pod and Node validation with the API server's messages (pkg/apis/core/validation/
// validation.go v1.37.2, apimachinery pkg/util/validation). Only the rules that matter for
// what the simulator models are checked.

func init() {
	RegisterValidation("Pod", func(o Object) ErrorList { return ValidatePod(o.(*Pod)) })
	RegisterValidation("Node", func(o Object) ErrorList { return ValidateNode(o.(*Node)) })
}

const (
	coreDNS1123LabelFmt     = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
	coreDNS1123SubdomainFmt = coreDNS1123LabelFmt + "(\\." + coreDNS1123LabelFmt + ")*"
	coreDNS1123LabelMsg     = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '" + coreDNS1123LabelFmt + "')"
	coreDNS1123SubdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" + coreDNS1123SubdomainFmt + "')"
)

var (
	coreDNS1123LabelRE     = regexp.MustCompile("^" + coreDNS1123LabelFmt + "$")
	coreDNS1123SubdomainRE = regexp.MustCompile("^" + coreDNS1123SubdomainFmt + "$")
)

// coreValidateDNS1123Label checks a container name (IsDNS1123Label: at most 63 characters).
func coreValidateDNS1123Label(path, v string) ErrorList {
	var errs ErrorList
	if len(v) > 63 {
		errs = append(errs, Invalid(path, v, "must be no more than 63 characters"))
	}
	if !coreDNS1123LabelRE.MatchString(v) {
		errs = append(errs, Invalid(path, v, coreDNS1123LabelMsg))
	}
	return errs
}

// coreValidateDNS1123Subdomain checks an object name (IsDNS1123Subdomain: at most 253).
func coreValidateDNS1123Subdomain(path, v string) ErrorList {
	var errs ErrorList
	if len(v) > 253 {
		errs = append(errs, Invalid(path, v, "must be no more than 253 characters"))
	}
	if !coreDNS1123SubdomainRE.MatchString(v) {
		errs = append(errs, Invalid(path, v, coreDNS1123SubdomainMsg))
	}
	return errs
}

// ValidatePod validates a defaulted pod.
func ValidatePod(p *Pod) ErrorList {
	errs := ValidatePodName(p)
	errs = append(errs, ValidatePodSpec("spec", &p.Spec)...)
	// validateContainersOnlyForPod: a pod's images (not a template's) may not have leading or
	// trailing whitespace.
	for _, list := range []struct {
		path string
		cs   []Container
	}{{"spec.containers", p.Spec.Containers}, {"spec.initContainers", p.Spec.InitContainers}} {
		for i, c := range list.cs {
			if strings.TrimSpace(c.Image) != c.Image {
				errs = append(errs, Invalid(fmt.Sprintf("%s[%d].image", list.path, i), c.Image, "must not have leading or trailing whitespace"))
			}
		}
	}
	return errs
}

// ValidatePodName is ValidatePod's check of metadata.name (or generateName), which comes
// first in its errors; the rest depends on the spec alone.
func ValidatePodName(p *Pod) ErrorList {
	if p.Name == "" && p.GenerateName == "" {
		return ErrorList{Required("metadata.name", "name or generateName is required")}
	}
	if p.Name != "" {
		return coreValidateDNS1123Subdomain("metadata.name", p.Name)
	}
	return nil
}

// ValidatePodTemplateSpec validates the pod template of a workload at path (e.g.
// "spec.template"): its spec as ValidatePodSpec does, under path+".spec". Call it after
// DefaultPodSpec.
func ValidatePodTemplateSpec(path string, t *PodTemplateSpec) ErrorList {
	if t == nil {
		return ErrorList{Required(path, "")}
	}
	return ValidatePodSpec(path+".spec", &t.Spec)
}

// ValidatePodSpec validates a defaulted pod spec at path ("spec"): containers (required,
// names, images, probes, ports, resources), init containers, restartPolicy,
// terminationGracePeriodSeconds, dnsPolicy and tolerations.
func ValidatePodSpec(path string, s *PodSpec) ErrorList {
	var errs ErrorList
	names := map[string]bool{}
	for i := range s.InitContainers {
		c := &s.InitContainers[i]
		cp := fmt.Sprintf("%s.initContainers[%d]", path, i)
		errs = append(errs, validateContainer(cp, c, names, true)...)
		errs = append(errs, validateResizePolicy(cp, c, s.RestartPolicy)...)
		if c.RestartPolicy != nil && *c.RestartPolicy != RestartAlways {
			errs = append(errs, NotSupported(cp+".restartPolicy", *c.RestartPolicy, RestartAlways))
		}
		if !IsSidecar(c) {
			// validateInitContainers: probes and lifecycle are only for sidecars.
			if c.LivenessProbe != nil {
				errs = append(errs, Forbidden(cp+".livenessProbe", "may not be set for init containers without restartPolicy=Always"))
			}
			if c.ReadinessProbe != nil {
				errs = append(errs, Forbidden(cp+".readinessProbe", "may not be set for init containers without restartPolicy=Always"))
			}
			if c.StartupProbe != nil {
				errs = append(errs, Forbidden(cp+".startupProbe", "may not be set for init containers without restartPolicy=Always"))
			}
		}
	}
	if len(s.Containers) == 0 {
		errs = append(errs, Required(path+".containers", ""))
	}
	if s.PriorityClassName != "" {
		errs = append(errs, coreValidateDNS1123Subdomain(path+".priorityClassName", s.PriorityClassName)...)
	}
	if s.PreemptionPolicy != nil {
		errs = append(errs, validatePreemptionPolicy(path+".preemptionPolicy", *s.PreemptionPolicy)...)
	}
	for i := range s.Containers {
		c := &s.Containers[i]
		cp := fmt.Sprintf("%s.containers[%d]", path, i)
		errs = append(errs, validateContainer(cp, c, names, false)...)
		errs = append(errs, validateResizePolicy(cp, c, s.RestartPolicy)...)
		if c.RestartPolicy != nil {
			if v := *c.RestartPolicy; v != RestartAlways && v != RestartOnFailure && v != RestartNever {
				errs = append(errs, NotSupported(cp+".restartPolicy", v, RestartAlways, RestartOnFailure, RestartNever))
			}
		}
	}
	switch s.RestartPolicy {
	case RestartAlways, RestartOnFailure, RestartNever:
	case "":
		errs = append(errs, Required(path+".restartPolicy", ""))
	default:
		errs = append(errs, NotSupported(path+".restartPolicy", s.RestartPolicy, RestartAlways, RestartOnFailure, RestartNever))
	}
	switch s.DNSPolicy {
	case "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None":
	case "":
		errs = append(errs, Required(path+".dnsPolicy", ""))
	default:
		errs = append(errs, NotSupported(path+".dnsPolicy", s.DNSPolicy, "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"))
	}
	if g := s.TerminationGracePeriodSeconds; g != nil {
		errs = append(errs, nonNegative(path+".terminationGracePeriodSeconds", *g)...)
	}
	if d := s.ActiveDeadlineSeconds; d != nil && *d < 1 {
		errs = append(errs, Invalid(path+".activeDeadlineSeconds", *d, "must be between 1 and 2147483647, inclusive"))
	}
	for i, t := range s.Tolerations {
		errs = append(errs, validateToleration(fmt.Sprintf("%s.tolerations[%d]", path, i), t)...)
	}
	errs = append(errs, validateNodeAffinity(path+".affinity.nodeAffinity", s.Affinity)...)
	errs = append(errs, validatePodAffinities(path+".affinity", s.Affinity)...)
	errs = append(errs, validateTopologySpread(path+".topologySpreadConstraints", s.TopologySpreadConstraints)...)
	return errs
}

// validateTopologySpread is pkg/apis/core/validation validateTopologySpreadConstraints.
func validateTopologySpread(path string, cs []TopologySpread) ErrorList {
	var errs ErrorList
	for i, c := range cs {
		p := fmt.Sprintf("%s[%d]", path, i)
		if c.MaxSkew <= 0 {
			errs = append(errs, Invalid(p+".maxSkew", c.MaxSkew, "must be greater than zero"))
		}
		if c.TopologyKey == "" {
			errs = append(errs, Required(p+".topologyKey", "can not be empty"))
		}
		if c.WhenUnsatisfiable != DoNotSchedule && c.WhenUnsatisfiable != ScheduleAnyway {
			errs = append(errs, NotSupported(p+".whenUnsatisfiable", c.WhenUnsatisfiable, DoNotSchedule, ScheduleAnyway))
		}
		if m := c.MinDomains; m != nil {
			if *m <= 0 {
				errs = append(errs, Invalid(p+".minDomains", *m, "must be greater than zero"))
			}
			if c.WhenUnsatisfiable != DoNotSchedule {
				errs = append(errs, Invalid(p+".minDomains", *m, fmt.Sprintf("can only use minDomains if whenUnsatisfiable=%s, not %s", DoNotSchedule, c.WhenUnsatisfiable)))
			}
		}
		for _, o := range cs[i+1:] {
			if o.TopologyKey == c.TopologyKey && o.WhenUnsatisfiable == c.WhenUnsatisfiable {
				errs = append(errs, &FieldError{Path: p + ".{topologyKey, whenUnsatisfiable}", Type: ErrTypeDuplicate,
					Value: fmt.Sprintf("{%v, %v}", c.TopologyKey, c.WhenUnsatisfiable), HasValue: true})
				break
			}
		}
		if v := c.NodeAffinityPolicy; v != nil && *v != PolicyHonor && *v != PolicyIgnore {
			errs = append(errs, NotSupported(p+".nodeAffinityPolicy", *v, PolicyHonor, PolicyIgnore))
		}
		if v := c.NodeTaintsPolicy; v != nil && *v != PolicyHonor && *v != PolicyIgnore {
			errs = append(errs, NotSupported(p+".nodeTaintsPolicy", *v, PolicyHonor, PolicyIgnore))
		}
		for j, k := range c.MatchLabelKeys {
			kp := fmt.Sprintf("%s.matchLabelKeys[%d]", p, j)
			if c.LabelSelector == nil {
				errs = append(errs, Forbidden(kp, "must not be specified when labelSelector is not set"))
				continue
			}
			inSelector := false
			if _, ok := c.LabelSelector.MatchLabels[k]; ok {
				inSelector = true
			}
			for _, r := range c.LabelSelector.MatchExpressions {
				inSelector = inSelector || r.Key == k
			}
			if inSelector {
				errs = append(errs, Invalid(kp, k, "exists in both matchLabelKeys and labelSelector"))
			}
		}
	}
	return errs
}

func validateContainer(path string, c *Container, names map[string]bool, init bool) ErrorList {
	var errs ErrorList
	if c.Name == "" {
		errs = append(errs, Required(path+".name", ""))
	} else {
		errs = append(errs, coreValidateDNS1123Label(path+".name", c.Name)...)
		if names[c.Name] {
			errs = append(errs, &FieldError{Path: path + ".name", Type: ErrTypeDuplicate, Value: c.Name, HasValue: true})
		}
		names[c.Name] = true
	}
	if c.Image == "" {
		errs = append(errs, Required(path+".image", ""))
	}
	switch c.ImagePullPolicy {
	case "Always", "IfNotPresent", "Never":
	case "":
		errs = append(errs, Required(path+".imagePullPolicy", ""))
	default:
		errs = append(errs, NotSupported(path+".imagePullPolicy", c.ImagePullPolicy, "Always", "IfNotPresent", "Never"))
	}
	for i, p := range c.Ports {
		pp := fmt.Sprintf("%s.ports[%d]", path, i)
		if p.ContainerPort < 1 || p.ContainerPort > 65535 {
			errs = append(errs, Invalid(pp+".containerPort", p.ContainerPort, "must be between 1 and 65535, inclusive"))
		}
		switch p.Protocol {
		case "TCP", "UDP", "SCTP":
		default:
			errs = append(errs, NotSupported(pp+".protocol", p.Protocol, "SCTP", "TCP", "UDP"))
		}
	}
	for _, rl := range []struct {
		name string
		l    ResourceList
	}{{"limits", c.Resources.Limits}, {"requests", c.Resources.Requests}} {
		for _, k := range SortedKeys(rl.l) {
			if q := rl.l[k]; q.Milli < 0 {
				errs = append(errs, Invalid(path+".resources."+rl.name+"["+k+"]", q.String(), "must be greater than or equal to 0"))
			}
		}
	}
	for _, k := range SortedKeys(c.Resources.Requests) {
		if lim, ok := c.Resources.Limits[k]; ok && c.Resources.Requests[k].Milli > lim.Milli {
			errs = append(errs, Invalid(path+".resources.requests", c.Resources.Requests[k].String(),
				"must be less than or equal to "+k+" limit of "+lim.String()))
		}
	}
	errs = append(errs, validateProbe(path+".livenessProbe", c.LivenessProbe, true)...)
	errs = append(errs, validateProbe(path+".readinessProbe", c.ReadinessProbe, false)...)
	errs = append(errs, validateProbe(path+".startupProbe", c.StartupProbe, true)...)
	if c.ReadinessProbe != nil && c.ReadinessProbe.TerminationGracePeriodSeconds != nil {
		errs = append(errs, Invalid(path+".readinessProbe.terminationGracePeriodSeconds",
			*c.ReadinessProbe.TerminationGracePeriodSeconds, "must not be set for readinessProbes"))
	}
	if c.Lifecycle != nil {
		for _, h := range []struct {
			name string
			h    *LifecycleHandler
		}{{"postStart", c.Lifecycle.PostStart}, {"preStop", c.Lifecycle.PreStop}} {
			if h.h == nil {
				continue
			}
			n := 0
			for _, set := range []bool{h.h.Exec != nil, h.h.HTTPGet != nil, h.h.TCPSocket != nil, h.h.Sleep != nil} {
				if set {
					n++
				}
			}
			if n == 0 {
				errs = append(errs, Required(path+".lifecycle."+h.name, "must specify a handler type"))
			}
			if h.h.Sleep != nil && h.h.Sleep.Seconds < 0 {
				errs = append(errs, Invalid(path+".lifecycle."+h.name+".sleep.seconds", h.h.Sleep.Seconds, "must be non-negative"))
			}
		}
	}
	return errs
}

// validateProbe is validateProbe plus validateLivenessProbe/validateStartupProbe
// (successThreshold must be 1 for liveness and startup probes).
func validateProbe(path string, p *Probe, mustSucceedOnce bool) ErrorList {
	if p == nil {
		return nil
	}
	var errs ErrorList
	n := 0
	for _, set := range []bool{p.Exec != nil, p.HTTPGet != nil, p.TCPSocket != nil, p.GRPC != nil} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		errs = append(errs, Required(path, "must specify a handler type"))
	case n > 1:
		errs = append(errs, Forbidden(path, "may not specify more than 1 handler type"))
	}
	if p.HTTPGet != nil {
		errs = append(errs, validatePortRef(path+".httpGet.port", p.HTTPGet.Port)...)
		switch p.HTTPGet.Scheme {
		case "HTTP", "HTTPS":
		default:
			errs = append(errs, NotSupported(path+".httpGet.scheme", p.HTTPGet.Scheme, "HTTP", "HTTPS"))
		}
	}
	if p.TCPSocket != nil {
		errs = append(errs, validatePortRef(path+".tcpSocket.port", p.TCPSocket.Port)...)
	}
	if p.Exec != nil && len(p.Exec.Command) == 0 {
		errs = append(errs, Required(path+".exec.command", ""))
	}
	errs = append(errs, nonNegative(path+".initialDelaySeconds", int64(p.InitialDelaySeconds))...)
	errs = append(errs, nonNegative(path+".timeoutSeconds", int64(p.TimeoutSeconds))...)
	errs = append(errs, nonNegative(path+".periodSeconds", int64(p.PeriodSeconds))...)
	errs = append(errs, nonNegative(path+".successThreshold", int64(p.SuccessThreshold))...)
	errs = append(errs, nonNegative(path+".failureThreshold", int64(p.FailureThreshold))...)
	if g := p.TerminationGracePeriodSeconds; g != nil && *g <= 0 {
		errs = append(errs, Invalid(path+".terminationGracePeriodSeconds", *g, "must be greater than 0"))
	}
	if mustSucceedOnce && p.SuccessThreshold != 1 {
		errs = append(errs, Invalid(path+".successThreshold", p.SuccessThreshold, "must be 1"))
	}
	return errs
}

func validatePortRef(path string, p IntOrString) ErrorList {
	if p.IsString {
		// IsValidPortName
		if s := p.StrVal; s == "" || len(s) > 15 {
			return ErrorList{Invalid(path, s, "must be no more than 15 characters")}
		}
		return nil
	}
	if v := p.IntVal; v < 1 || v > 65535 {
		return ErrorList{Invalid(path, v, "must be between 1 and 65535, inclusive")}
	}
	return nil
}

func validateToleration(path string, t Toleration) ErrorList {
	var errs ErrorList
	switch t.Operator {
	case "", "Equal":
	case "Exists":
		if t.Value != "" {
			errs = append(errs, Invalid(path+".operator", t.Value, "value must be empty when `operator` is 'Exists'"))
		}
	default:
		errs = append(errs, NotSupported(path+".operator", t.Operator, "Equal", "Exists"))
	}
	if t.Key == "" && t.Operator != "Exists" {
		errs = append(errs, Invalid(path+".operator", t.Operator, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
	}
	if t.TolerationSeconds != nil && t.Effect != TaintNoExecute {
		errs = append(errs, Invalid(path+".effect", t.Effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
	}
	switch t.Effect {
	case "", TaintNoSchedule, TaintPreferNoSchedule, TaintNoExecute:
	default:
		errs = append(errs, NotSupported(path+".effect", t.Effect, TaintNoExecute, TaintNoSchedule, TaintPreferNoSchedule))
	}
	return errs
}

func validateNodeAffinity(path string, a *Affinity) ErrorList {
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return nil
	}
	var errs ErrorList
	req := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	rp := path + ".requiredDuringSchedulingIgnoredDuringExecution"
	if len(req.NodeSelectorTerms) == 0 {
		errs = append(errs, Required(rp+".nodeSelectorTerms", "must have at least one node selector term"))
	}
	for i, term := range req.NodeSelectorTerms {
		for j, r := range term.MatchExpressions {
			ep := fmt.Sprintf("%s.nodeSelectorTerms[%d].matchExpressions[%d]", rp, i, j)
			switch r.Operator {
			case "In", "NotIn":
				if len(r.Values) == 0 {
					errs = append(errs, Required(ep+".values", "must be specified when `operator` is 'In' or 'NotIn'"))
				}
			case "Exists", "DoesNotExist":
				if len(r.Values) > 0 {
					errs = append(errs, Forbidden(ep+".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
				}
			case "Gt", "Lt":
				if len(r.Values) != 1 {
					errs = append(errs, Required(ep+".values", "must be specified single value when `operator` is 'Lt' or 'Gt'"))
				} else if _, err := strconv.ParseInt(r.Values[0], 10, 64); err != nil {
					errs = append(errs, Invalid(ep+".values[0]", r.Values[0], "must be an integer"))
				}
			default:
				errs = append(errs, Invalid(ep+".operator", r.Operator, "not a valid selector operator"))
			}
		}
	}
	return errs
}

// ValidateNode validates a node: a DNS-1123 subdomain name, taints with supported effects,
// non-negative allocatable.
func ValidateNode(n *Node) ErrorList {
	var errs ErrorList
	if n.Name == "" {
		errs = append(errs, Required("metadata.name", "name or generateName is required"))
	} else {
		errs = append(errs, coreValidateDNS1123Subdomain("metadata.name", n.Name)...)
	}
	for i, t := range n.Spec.Taints {
		tp := fmt.Sprintf("spec.taints[%d]", i)
		if t.Key == "" {
			errs = append(errs, Required(tp+".key", ""))
		}
		switch t.Effect {
		case TaintNoSchedule, TaintPreferNoSchedule, TaintNoExecute:
		case "":
			errs = append(errs, Required(tp+".effect", ""))
		default:
			errs = append(errs, NotSupported(tp+".effect", t.Effect, TaintNoExecute, TaintNoSchedule, TaintPreferNoSchedule))
		}
	}
	for _, k := range SortedKeys(n.Status.Allocatable) {
		if q := n.Status.Allocatable[k]; q.Milli < 0 {
			errs = append(errs, Invalid("status.allocatable["+k+"]", q.String(), "must be greater than or equal to 0"))
		}
	}
	errs = append(errs, validatePodCIDRs(n.Spec.PodCIDRs)...)
	return errs
}
