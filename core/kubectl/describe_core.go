package kubectl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kubesim/kubesim/core/api"
)

// Describers for Pod and Node, after describePod and describeNode in k8s.io/kubectl
// pkg/describe/describe.go (v1.37). Times print as RFC1123Z from the virtual epoch.

func init() {
	RegisterTabbedDescriber("Pod", describePod)
	RegisterTabbedDescriber("Node", describeNode)
}

func describePod(env *Env, o api.Object, w *PrefixWriter) {
	pod := o.(*api.Pod)
	now := env.Ctx.Now()
	{
		w.Write(0, "Name:\t%s\n", pod.Name)
		w.Write(0, "Namespace:\t%s\n", pod.Namespace)
		if pod.Spec.Priority != nil {
			w.Write(0, "Priority:\t%d\n", *pod.Spec.Priority)
		}
		if pod.Spec.PriorityClassName != "" {
			w.Write(0, "Priority Class Name:\t%s\n", pod.Spec.PriorityClassName)
		}
		if pod.Spec.ServiceAccountName != "" {
			w.Write(0, "Service Account:\t%s\n", pod.Spec.ServiceAccountName)
		}
		if pod.Spec.NodeName == "" {
			w.Write(0, "Node:\t<none>\n")
		} else {
			w.Write(0, "Node:\t%s\n", pod.Spec.NodeName+"/"+pod.Status.HostIP)
		}
		if pod.Status.StartTime != nil {
			w.Write(0, "Start Time:\t%s\n", pod.Status.StartTime.RFC1123Z())
		}
		w.Labels("Labels", pod.Labels)
		w.Annotations("Annotations", pod.Annotations)
		if pod.DeletionTimestamp != nil && !pod.IsTerminal() {
			w.Write(0, "Status:\tTerminating (lasts %s)\n", age(*pod.DeletionTimestamp, now))
			w.Write(0, "Termination Grace Period:\t%ds\n", api.Deref(pod.DeletionGracePeriodSeconds, 0))
		} else {
			w.Write(0, "Status:\t%s\n", pod.Status.Phase)
		}
		if pod.Status.Reason != "" {
			w.Write(0, "Reason:\t%s\n", pod.Status.Reason)
		}
		if pod.Status.Message != "" {
			w.Write(0, "Message:\t%s\n", pod.Status.Message)
		}
		w.Write(0, "IP:\t%s\n", pod.Status.PodIP)
		// status.podIPs mirrors status.podIP on a single-stack cluster.
		if pod.Status.PodIP == "" {
			w.Write(0, "IPs:\t<none>\n")
		} else {
			w.Write(0, "IPs:\n")
			w.Write(1, "IP:\t%s\n", pod.Status.PodIP)
		}
		if r := api.ControllerOf(&pod.ObjectMeta); r != nil {
			w.Write(0, "Controlled By:\t%s/%s\n", r.Kind, r.Name)
		}
		if pod.Status.NominatedNodeName != "" {
			w.Write(0, "NominatedNodeName:\t%s\n", pod.Status.NominatedNodeName)
		}
		if len(pod.Spec.InitContainers) > 0 {
			describeContainers(w, pod, "Init Containers", pod.Spec.InitContainers, pod.Status.InitContainerStatuses)
		}
		describeContainers(w, pod, "Containers", pod.Spec.Containers, pod.Status.ContainerStatuses)
		if len(pod.Status.Conditions) > 0 {
			w.Write(0, "Conditions:\n  Type\tStatus\n")
			for _, c := range pod.Status.Conditions {
				w.Write(1, "%v \t%v \n", c.Type, c.Status)
			}
		}
		describeVolumes(w, pod.Spec.Volumes)
		w.Write(0, "QoS Class:\t%s\n", api.GetPodQOS(pod))
		w.Labels("Node-Selectors", pod.Spec.NodeSelector)
		describeTolerations(w, pod.Spec.Tolerations)
		describeSpread(w, pod.Spec.TopologySpreadConstraints)
	}
}

func describeContainers(w *PrefixWriter, pod *api.Pod, label string, cs []api.Container, statuses []api.ContainerStatus) {
	byName := map[string]api.ContainerStatus{}
	for _, s := range statuses {
		byName[s.Name] = s
	}
	if len(cs) == 0 {
		w.Write(0, "%s: <none>\n", label)
	} else {
		w.Write(0, "%s:\n", label)
	}
	for _, c := range cs {
		st, ok := byName[c.Name]
		w.Write(1, "%v:\n", c.Name)
		if ok {
			w.Write(2, "Container ID:\t%s\n", st.ContainerID)
		}
		w.Write(2, "Image:\t%s\n", c.Image)
		if ok {
			w.Write(2, "Image ID:\t%s\n", st.ImageID)
		}
		writePorts(w, 2, "", c.Ports)
		if len(c.Command) > 0 {
			w.Write(2, "Command:\n")
			for _, x := range c.Command {
				for _, s := range strings.Split(x, "\n") {
					w.Write(3, "%s\n", s)
				}
			}
		}
		if len(c.Args) > 0 {
			w.Write(2, "Args:\n")
			for _, x := range c.Args {
				for _, s := range strings.Split(x, "\n") {
					w.Write(3, "%s\n", s)
				}
			}
		}
		if ok {
			describeState(w, "State", st.State)
			if st.LastTerminationState.Terminated != nil {
				describeState(w, "Last State", st.LastTerminationState)
			}
			ready := "False"
			if st.Ready {
				ready = "True"
			}
			w.Write(2, "Ready:\t%v\n", ready)
			w.Write(2, "Restart Count:\t%d\n", st.RestartCount)
		}
		describeResources(w, c.Resources, 2)
		if c.LivenessProbe != nil {
			w.Write(2, "Liveness:\t%s\n", DescribeProbe(c.LivenessProbe))
		}
		if c.ReadinessProbe != nil {
			w.Write(2, "Readiness:\t%s\n", DescribeProbe(c.ReadinessProbe))
		}
		if c.StartupProbe != nil {
			w.Write(2, "Startup:\t%s\n", DescribeProbe(c.StartupProbe))
		}
		if len(c.EnvFrom) > 0 {
			w.Write(2, "Environment Variables from:\n")
			for _, e := range c.EnvFrom {
				from, name := "ConfigMap", ""
				if e.ConfigMapRef != nil {
					name = e.ConfigMapRef.Name
				} else if e.SecretRef != nil {
					from, name = "Secret", e.SecretRef.Name
				}
				if e.Prefix == "" {
					w.Write(3, "%s\t%s\tOptional: false\n", name, from)
				} else {
					w.Write(3, "%s\t%s with prefix '%s'\tOptional: false\n", name, from, e.Prefix)
				}
			}
		}
		if len(c.Env) == 0 {
			w.Write(2, "Environment:\t<none>\n")
		} else {
			w.Write(2, "Environment:\n")
		}
		for _, e := range c.Env {
			switch {
			case e.ValueFrom == nil:
				for i, s := range strings.Split(e.Value, "\n") {
					if i == 0 {
						w.Write(3, "%s:\t%s\n", e.Name, s)
					} else {
						w.Write(3, "\t%s\n", s)
					}
				}
			case e.ValueFrom.FieldRef != nil:
				av := e.ValueFrom.FieldRef.APIVersion
				if av == "" {
					av = "v1"
				}
				w.Write(3, "%s:\t%s (%s:%s)\n", e.Name, podField(pod, e.ValueFrom.FieldRef.FieldPath), av, e.ValueFrom.FieldRef.FieldPath)
			case e.ValueFrom.ResourceFieldRef != nil:
				w.Write(3, "%s:\t%s (%s)\n", e.Name, resourceField(c, e.ValueFrom.ResourceFieldRef.Resource), e.ValueFrom.ResourceFieldRef.Resource)
			case e.ValueFrom.SecretKeyRef != nil:
				r := e.ValueFrom.SecretKeyRef
				w.Write(3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %t\n", e.Name, r.Key, r.Name, api.Deref(r.Optional, false))
			case e.ValueFrom.ConfigMapKeyRef != nil:
				r := e.ValueFrom.ConfigMapKeyRef
				w.Write(3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %t\n", e.Name, r.Key, r.Name, api.Deref(r.Optional, false))
			}
		}
		if len(c.VolumeMounts) == 0 {
			w.Write(2, "Mounts:\t<none>\n")
		} else {
			w.Write(2, "Mounts:\n")
		}
		mounts := append([]api.VolumeMount{}, c.VolumeMounts...)
		sort.SliceStable(mounts, func(i, j int) bool { return mounts[i].MountPath < mounts[j].MountPath })
		for _, m := range mounts {
			flags := []string{"rw"}
			if m.ReadOnly {
				flags = []string{"ro"}
			}
			if m.SubPath != "" {
				flags = append(flags, fmt.Sprintf("path=%q", m.SubPath))
			}
			w.Write(3, "%s from %s (%s)\n", m.MountPath, m.Name, strings.Join(flags, ","))
		}
	}
}

func containerPorts(ps []api.ContainerPort) (ports, hostPorts string) {
	var a, b []string
	for _, p := range ps {
		proto := p.Protocol
		if proto == "" {
			proto = "TCP"
		}
		x, y := fmt.Sprintf("%d/%s", p.ContainerPort, proto), fmt.Sprintf("%d/%s", p.HostPort, proto)
		if p.Name != "" {
			x, y = x+" ("+p.Name+")", y+" ("+p.Name+")"
		}
		a, b = append(a, x), append(b, y)
	}
	return strings.Join(a, ", "), strings.Join(b, ", ")
}

func describeState(w *PrefixWriter, name string, s api.ContainerState) {
	switch {
	case s.Running != nil:
		w.Write(2, "%s:\tRunning\n", name)
		w.Write(3, "Started:\t%v\n", s.Running.StartedAt.RFC1123Z())
	case s.Waiting != nil:
		w.Write(2, "%s:\tWaiting\n", name)
		if s.Waiting.Reason != "" {
			w.Write(3, "Reason:\t%s\n", s.Waiting.Reason)
		}
	case s.Terminated != nil:
		t := s.Terminated
		w.Write(2, "%s:\tTerminated\n", name)
		if t.Reason != "" {
			w.Write(3, "Reason:\t%s\n", t.Reason)
		}
		if t.Message != "" {
			w.Write(3, "Message:\t%s\n", t.Message)
		}
		w.Write(3, "Exit Code:\t%d\n", t.ExitCode)
		if t.Signal > 0 {
			w.Write(3, "Signal:\t%d\n", t.Signal)
		}
		w.Write(3, "Started:\t%s\n", t.StartedAt.RFC1123Z())
		w.Write(3, "Finished:\t%s\n", t.FinishedAt.RFC1123Z())
	default:
		w.Write(2, "%s:\tWaiting\n", name)
	}
}

func describeResources(w *PrefixWriter, r api.ResourceRequirements, level int) {
	if len(r.Limits) > 0 {
		w.Write(level, "Limits:\n")
	}
	for _, k := range api.SortedKeys(r.Limits) {
		w.Write(level+1, "%s:\t%s\n", k, r.Limits[k].String())
	}
	if len(r.Requests) > 0 {
		w.Write(level, "Requests:\n")
	}
	for _, k := range api.SortedKeys(r.Requests) {
		w.Write(level+1, "%s:\t%s\n", k, r.Requests[k].String())
	}
}

// DescribeProbe renders a probe as describe does (pkg/describe DescribeProbe, v1.37:
// `http-get http://:8080/healthz delay=0s timeout=1s period=10s successThreshold=1
// failureThreshold=3`; releases before 1.37 printed #success=1 #failure=3).
func DescribeProbe(p *api.Probe) string {
	attrs := fmt.Sprintf("delay=%ds timeout=%ds period=%ds successThreshold=%d failureThreshold=%d",
		p.InitialDelaySeconds, p.TimeoutSeconds, p.PeriodSeconds, p.SuccessThreshold, p.FailureThreshold)
	switch {
	case p.Exec != nil:
		return fmt.Sprintf("exec [%s] %s", strings.Join(p.Exec.Command, " "), attrs)
	case p.HTTPGet != nil:
		g := p.HTTPGet
		host := g.Host
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		if port := g.Port.String(); port != "" {
			host += ":" + port
		}
		path := g.Path
		if path != "" && !strings.HasPrefix(path, "/") && host != "" {
			path = "/" + path
		}
		return fmt.Sprintf("http-get %s://%s%s %s", strings.ToLower(g.Scheme), host, path, attrs)
	case p.TCPSocket != nil:
		return fmt.Sprintf("tcp-socket %s:%s %s", p.TCPSocket.Host, p.TCPSocket.Port.String(), attrs)
	case p.GRPC != nil:
		return fmt.Sprintf("grpc <pod>:%d %s %s", p.GRPC.Port, api.Deref(p.GRPC.Service, ""), attrs)
	}
	return "unknown " + attrs
}

// podField resolves a downward-API field path for the Environment section.
func podField(p *api.Pod, path string) string {
	switch path {
	case "metadata.name":
		return p.Name
	case "metadata.namespace":
		return p.Namespace
	case "metadata.uid":
		return p.UID
	case "spec.nodeName":
		return p.Spec.NodeName
	case "spec.serviceAccountName":
		return p.Spec.ServiceAccountName
	case "status.podIP", "status.podIPs":
		return p.Status.PodIP
	case "status.hostIP", "status.hostIPs":
		return p.Status.HostIP
	}
	if k, ok := strings.CutPrefix(path, "metadata.labels['"); ok {
		return p.Labels[strings.TrimSuffix(k, "']")]
	}
	if k, ok := strings.CutPrefix(path, "metadata.annotations['"); ok {
		return p.Annotations[strings.TrimSuffix(k, "']")]
	}
	return ""
}

func resourceField(c api.Container, res string) string {
	var q api.Quantity
	var ok bool
	switch {
	case strings.HasPrefix(res, "limits."):
		q, ok = c.Resources.Limits[strings.TrimPrefix(res, "limits.")]
	case strings.HasPrefix(res, "requests."):
		q, ok = c.Resources.Requests[strings.TrimPrefix(res, "requests.")]
	}
	if !ok || q.IsZero() {
		if res == "limits.cpu" || res == "limits.memory" {
			return "node allocatable"
		}
		return "0"
	}
	return strconv.FormatInt(q.Value(), 10)
}

func describeVolumes(w *PrefixWriter, vols []api.Volume) {
	if len(vols) == 0 {
		w.Write(0, "Volumes:\t<none>\n")
		return
	}
	w.Write(0, "Volumes:\n")
	for _, v := range vols {
		w.Write(1, "%v:\n", v.Name)
		switch {
		case v.HostPath != nil:
			w.Write(2, "Type:\tHostPath (bare host directory volume)\n    Path:\t%v\n    HostPathType:\t%v\n", v.HostPath.Path, orNone(v.HostPath.Type))
		case v.EmptyDir != nil:
			limit := "<unset>"
			if v.EmptyDir.SizeLimit != nil && !v.EmptyDir.SizeLimit.IsZero() {
				limit = v.EmptyDir.SizeLimit.String()
			}
			w.Write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t%v\n    SizeLimit:\t%v\n", v.EmptyDir.Medium, limit)
		case v.Secret != nil:
			w.Write(2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t%v\n    Optional:\t%v\n", v.Secret.SecretName, api.Deref(v.Secret.Optional, false))
		case v.ConfigMap != nil:
			w.Write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t%v\n    Optional:\t%v\n", v.ConfigMap.Name, api.Deref(v.ConfigMap.Optional, false))
		case v.PersistentVolumeClaim != nil:
			w.Write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t%v\n    ReadOnly:\t%v\n", v.PersistentVolumeClaim.ClaimName, v.PersistentVolumeClaim.ReadOnly)
		case v.DownwardAPI != nil:
			w.Write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
		case v.Projected != nil:
			w.Write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
		default:
			w.Write(1, "<unknown>\n")
		}
	}
}

func describeTolerations(w *PrefixWriter, tols []api.Toleration) {
	w.Write(0, "Tolerations:\t")
	if len(tols) == 0 {
		w.WriteLine("<none>")
		return
	}
	ts := append([]api.Toleration{}, tols...)
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Key < ts[j].Key })
	for i, t := range ts {
		if i != 0 {
			w.Write(0, "\t")
		}
		w.Write(0, "%s", t.Key)
		if t.Value != "" {
			w.Write(0, "=%s", t.Value)
		}
		if t.Effect != "" {
			w.Write(0, ":%s", t.Effect)
		}
		if t.Operator == "Exists" && t.Value == "" {
			if t.Key != "" || t.Effect != "" {
				w.Write(0, " op=Exists")
			} else {
				w.Write(0, "op=Exists")
			}
		}
		if t.TolerationSeconds != nil {
			w.Write(0, " for %ds", *t.TolerationSeconds)
		}
		w.Write(0, "\n")
	}
}

func describeSpread(w *PrefixWriter, cs []api.TopologySpread) {
	if len(cs) == 0 {
		return
	}
	cs = append([]api.TopologySpread{}, cs...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].TopologyKey < cs[j].TopologyKey })
	w.Write(0, "Topology Spread Constraints:\t")
	for i, c := range cs {
		if i != 0 {
			w.Write(0, "\t")
		}
		w.Write(0, "%s:%v when max skew %d is exceeded", c.TopologyKey, c.WhenUnsatisfiable, c.MaxSkew)
		if c.LabelSelector != nil {
			w.Write(0, " for selector %s", c.LabelSelector.String())
		}
		w.Write(0, "\n")
	}
}

func describeNode(env *Env, o api.Object, w *PrefixWriter) {
	n := o.(*api.Node)
	now := env.Ctx.Now()
	{
		w.Write(0, "Name:\t%s\n", n.Name)
		w.Write(0, "Roles:\t%s\n", strings.Join(nodeRolesOrNone(n), ","))
		w.Labels("Labels", n.Labels)
		w.Annotations("Annotations", n.Annotations)
		w.Write(0, "CreationTimestamp:\t%s\n", n.CreationTimestamp.RFC1123Z())
		w.Write(0, "Taints:\t")
		if len(n.Spec.Taints) == 0 {
			w.WriteLine("<none>")
		} else {
			ts := append([]api.Taint{}, n.Spec.Taints...)
			sort.SliceStable(ts, func(i, j int) bool { return ts[i].Effect+","+ts[i].Key < ts[j].Effect+","+ts[j].Key })
			for i, t := range ts {
				if i != 0 {
					w.Write(0, "\t")
				}
				s := t.Key
				if t.Value != "" {
					s += "=" + t.Value
				}
				w.Write(0, "%s:%s\n", s, t.Effect)
			}
		}
		w.Write(0, "Unschedulable:\t%v\n", n.Spec.Unschedulable)
		if len(n.Status.Conditions) > 0 {
			w.Write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
			w.Write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
			for _, c := range n.Status.Conditions {
				w.Write(1, "%v \t%v \t%s \t%s \t%v \t%v\n", c.Type, c.Status, c.LastHeartbeatTime.RFC1123Z(), c.LastTransitionTime.RFC1123Z(), c.Reason, c.Message)
			}
		}
		w.Write(0, "Addresses:\n")
		for _, a := range n.Status.Addresses {
			w.Write(1, "%s:\t%s\n", a.Type, a.Address)
		}
		if len(n.Status.Capacity) > 0 {
			w.Write(0, "Capacity:\n")
			for _, k := range api.SortedKeys(n.Status.Capacity) {
				w.Write(0, "  %s:\t%s\n", k, n.Status.Capacity[k].String())
			}
		}
		if len(n.Status.Allocatable) > 0 {
			w.Write(0, "Allocatable:\n")
			for _, k := range api.SortedKeys(n.Status.Allocatable) {
				w.Write(0, "  %s:\t%s\n", k, n.Status.Allocatable[k].String())
			}
		}
		// The simulator models no machine identity; only the kubelet version is known.
		w.Write(0, "System Info:\n")
		for _, f := range []string{"Machine ID", "System UUID", "Boot ID", "Kernel Version", "OS Image", "Operating System", "Architecture", "Container Runtime Version"} {
			w.Write(0, "  %s:\t\n", f)
		}
		w.Write(0, "  Kubelet Version:\t%s\n", KubeletVersion)
		if n.Spec.PodCIDR != "" {
			w.Write(0, "PodCIDR:\t%s\n", n.Spec.PodCIDR)
		}
		if len(n.Spec.PodCIDRs) > 0 {
			w.Write(0, "PodCIDRs:\t%s\n", strings.Join(n.Spec.PodCIDRs, ","))
		}
		var pods []*api.Pod
		for _, x := range env.Ctx.Store().ByIndex("node", "Pod", n.Name) {
			if p := x.(*api.Pod); !p.IsTerminal() {
				pods = append(pods, p)
			}
		}
		describeNodeResources(w, n, pods, now)
	}
}

type podTotals struct{ cpuReq, cpuLim, memReq, memLim, esReq, esLim int64 } // milli-units

// podRequests sums the containers' requests and limits, taking the larger of that and
// any single init container (resourcehelper.PodRequests without overhead).
func podRequests(p *api.Pod) podTotals {
	var t podTotals
	sum := func(c api.Container, dst *podTotals) {
		dst.cpuReq += c.Resources.Requests["cpu"].Milli
		dst.cpuLim += c.Resources.Limits["cpu"].Milli
		dst.memReq += c.Resources.Requests["memory"].Milli
		dst.memLim += c.Resources.Limits["memory"].Milli
		dst.esReq += c.Resources.Requests["ephemeral-storage"].Milli
		dst.esLim += c.Resources.Limits["ephemeral-storage"].Milli
	}
	for _, c := range p.Spec.Containers {
		sum(c, &t)
	}
	for _, c := range p.Spec.InitContainers {
		var ic podTotals
		sum(c, &ic)
		t.cpuReq, t.cpuLim = max(t.cpuReq, ic.cpuReq), max(t.cpuLim, ic.cpuLim)
		t.memReq, t.memLim = max(t.memReq, ic.memReq), max(t.memLim, ic.memLim)
		t.esReq, t.esLim = max(t.esReq, ic.esReq), max(t.esLim, ic.esLim)
	}
	return t
}

// qty renders a summed quantity canonically: CPU as cores or millicores, byte amounts with
// the largest binary suffix that divides them (sums of Mi/Gi requests stay binary).
func qty(milli int64, cpu bool) string {
	if cpu || milli%1000 != 0 || milli == 0 {
		return api.Quantity{Milli: milli}.String()
	}
	b := milli / 1000
	for _, s := range []struct {
		suffix string
		n      int64
	}{{"Ti", 1 << 40}, {"Gi", 1 << 30}, {"Mi", 1 << 20}, {"Ki", 1 << 10}} {
		if b%s.n == 0 {
			return strconv.FormatInt(b/s.n, 10) + s.suffix
		}
	}
	return strconv.FormatInt(b, 10)
}

func pct(part, whole int64) int64 {
	if whole == 0 {
		return 0
	}
	return int64(float64(part) / float64(whole) * 100)
}

func describeNodeResources(w *PrefixWriter, n *api.Node, pods []*api.Pod, now api.Time) {
	alloc := n.Status.Capacity
	if len(n.Status.Allocatable) > 0 {
		alloc = n.Status.Allocatable
	}
	cpuA, memA, esA := alloc["cpu"].Milli, alloc["memory"].Milli, alloc["ephemeral-storage"].Milli
	w.Write(0, "Non-terminated Pods:\t(%d in total)\n", len(pods))
	w.Write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
	w.Write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
	var total podTotals
	for _, p := range pods {
		t := podRequests(p)
		total.cpuReq += t.cpuReq
		total.cpuLim += t.cpuLim
		total.memReq += t.memReq
		total.memLim += t.memLim
		total.esReq += t.esReq
		total.esLim += t.esLim
		w.Write(1, "%s\t%s\t\t%s (%d%%)\t%s (%d%%)\t%s (%d%%)\t%s (%d%%)\t%s\n", p.Namespace, p.Name,
			qty(t.cpuReq, true), pct(t.cpuReq, cpuA), qty(t.cpuLim, true), pct(t.cpuLim, cpuA),
			qty(t.memReq, false), pct(t.memReq, memA), qty(t.memLim, false), pct(t.memLim, memA), age(p.CreationTimestamp, now))
	}
	w.Write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
	w.Write(1, "Resource\tRequests\tLimits\n")
	w.Write(1, "--------\t--------\t------\n")
	w.Write(1, "%s\t%s (%d%%)\t%s (%d%%)\n", "cpu", qty(total.cpuReq, true), pct(total.cpuReq, cpuA), qty(total.cpuLim, true), pct(total.cpuLim, cpuA))
	w.Write(1, "%s\t%s (%d%%)\t%s (%d%%)\n", "memory", qty(total.memReq, false), pct(total.memReq, memA), qty(total.memLim, false), pct(total.memLim, memA))
	w.Write(1, "%s\t%s (%d%%)\t%s (%d%%)\n", "ephemeral-storage", qty(total.esReq, false), pct(total.esReq, esA), qty(total.esLim, false), pct(total.esLim, esA))
}

// writePorts writes describe's "Port:"/"Ports:" and "Host Port:"/"Host Ports:" lines (the
// plural when there are several), at a PrefixWriter level with an extra indent.
func writePorts(w *PrefixWriter, level int, indent string, cps []api.ContainerPort) {
	ports, hostPorts := containerPorts(cps)
	for _, l := range [][2]string{{"Port", ports}, {"Host Port", hostPorts}} {
		if strings.Contains(l[1], ",") {
			w.Write(level, "%s%ss:\t%s\n", indent, l[0], l[1])
		} else {
			w.Write(level, "%s%s:\t%s\n", indent, l[0], orNone(l[1]))
		}
	}
}
