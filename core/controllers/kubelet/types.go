package kubelet

import (
	"maps"

	"github.com/kubesim/kubesim/core/api"
)

// Hidden kinds the kubelet keeps its bookkeeping in (never shown by kubectl). Keeping it in
// the store, not in Go memory, is what makes engine snapshots exact.
const (
	// RuntimeKind is one object per pod, keyed like the pod: the container runtime's view
	// plus the probe workers, back-off entries and pending timers.
	RuntimeKind = "PodRuntime"
	// NodeRuntimeKind is one object per node: images present, the machine's address.
	NodeRuntimeKind = "NodeRuntime"
	// MachinesKind is the single object "machines" that numbers the nodes' machines (host
	// addresses) in the order the kubelet first sees them.
	MachinesKind = "KubeletMachines"
	// HostLocalKind is one object per node: the CNI host-local IPAM's store of the pod IPs
	// handed out from the node's podCIDR.
	HostLocalKind = "HostLocalIPAM"
)

// Probe results (pkg/kubelet/prober/results).
const (
	resultUnknown = ""
	resultSuccess = "Success"
	resultFailure = "Failure"
)

// Probe kinds, also the index into ContainerRuntime.Probes.
const (
	liveness = iota
	readiness
	startup
)

var probeNames = [3]string{"Liveness", "Readiness", "Startup"}

// PodRuntime is the kubelet's and container runtime's state of one pod.
type PodRuntime struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	// PodUID is the UID of the pod this runtime belongs to (a recreated pod gets a new one).
	PodUID string `json:"podUID"`
	// Node is the node the pod runs on, PodIP the address its sandbox holds from the node's
	// host-local IPAM ("" before the sandbox exists and after it was torn down).
	Node  string `json:"node"`
	PodIP string `json:"podIP,omitempty"`
	// SandboxAt is when the sandbox (and network) was created.
	SandboxAt api.Time `json:"sandboxAt"`
	// SandboxPending is set until the sandbox exists: while the node's pod network is not
	// ready, the volume manager waits for the pod's claims (WaitForAttachAndMount) or the
	// sandbox could not get an IP. No pod IP, no container yet.
	SandboxPending bool `json:"sandboxPending,omitempty"`
	// TerminatingAt is when the kubelet started terminating the pod, or -1.
	TerminatingAt api.Time `json:"terminatingAt"`
	// Containers are the init containers (spec order) then the regular ones.
	Containers []ContainerRuntime `json:"containers"`
	// InitDone is set once the regular containers were started (init never runs again).
	InitDone bool `json:"initDone,omitempty"`
	// ResyncAt is when a sync that failed (image pull) is retried: the pod worker's
	// 10 s retry after an error (workerResyncIntervalOnError, without its jitter).
	ResyncAt api.Time `json:"resyncAt,omitempty"`
	// EvictMessage is set by the node's eviction manager when it evicts the pod: the pod
	// is killed with a 1 s grace period and fails with reason Evicted and this message.
	EvictMessage string `json:"evictMessage,omitempty"`
	// ResizeUntil is when an accepted resize's PodResizeInProgress may end (0: none).
	ResizeUntil api.Time `json:"resizeUntil,omitempty"`
	// NextWake is the time of the timer already queued for this pod (0: none).
	NextWake api.Time `json:"nextWake,omitempty"`
	// Config holds the containers' environments and the mounted ConfigMap/Secret files
	// (config.go); nil for a pod that has neither.
	Config *ConfigState `json:"config,omitempty"`
}

// ContainerRuntime is one container of the pod.
type ContainerRuntime struct {
	Name string `json:"name"`
	// Phase: "" (not created yet), "Pulling", "Running", "Exited".
	Phase string `json:"phase,omitempty"`
	// PullUntil is when the running pull finishes.
	PullUntil api.Time `json:"pullUntil,omitempty"`
	// PullStart is when the running pull started (for "in Xs").
	PullStart api.Time `json:"pullStart,omitempty"`
	// PullErr is the waiting reason after a failed start: a pull (ErrImagePull, ImagePullBackOff,
	// ErrImageNeverPull) or generateContainerConfig (CreateContainerConfigError, config.go),
	// "" otherwise; PullMsg the waiting message.
	PullErr string `json:"pullErr,omitempty"`
	PullMsg string `json:"pullMsg,omitempty"`
	// PullFailedAt / PullWindow are the image pull back-off entry (10 s doubling to 300 s).
	PullFailedAt api.Time     `json:"pullFailedAt,omitempty"`
	PullWindow   api.Duration `json:"pullWindow,omitempty"`
	// Instance counts the container instances created (container IDs).
	Instance int `json:"instance,omitempty"`
	// RestartCount is the status restartCount.
	RestartCount int32 `json:"restartCount,omitempty"`
	// StartedAt is when the current instance started.
	StartedAt api.Time `json:"startedAt,omitempty"`
	// ExitAt is when the running instance will exit, with ExitCode/ExitReason; nil: never.
	ExitAt     *api.Time `json:"exitAt,omitempty"`
	ExitCode   int32     `json:"exitCode,omitempty"`
	ExitReason string    `json:"exitReason,omitempty"`
	// KillAt is when SIGTERM is (or was) sent to a container being stopped, nil otherwise.
	KillAt *api.Time `json:"killAt,omitempty"`
	// RestartApproved: a liveness/startup kill already decided to restart at once.
	RestartApproved bool `json:"restartApproved,omitempty"`
	// Last is the newest exited instance (lastState.terminated, or state.terminated while the
	// container stays exited).
	Last *api.ContainerStateTerminated `json:"last,omitempty"`
	// RetryAt is when a refused restart may happen (CrashLoopBackOff until then), 0: none.
	RetryAt api.Time `json:"retryAt,omitempty"`
	// RecheckAt is the next periodic re-check (1 min resync) during a long back-off window;
	// each emits another BackOff event.
	RecheckAt api.Time `json:"recheckAt,omitempty"`
	// HasEntry, Backoff and LastRestart are the crash back-off entry (client-go Backoff).
	HasEntry    bool         `json:"hasEntry,omitempty"`
	Backoff     api.Duration `json:"backoff,omitempty"`
	LastRestart api.Time     `json:"lastRestart,omitempty"`
	// Started is the startup probe's verdict (or true without a startup probe) while running.
	Started bool `json:"started,omitempty"`
	// Probes are the liveness, readiness and startup workers.
	Probes [3]ProbeWorker `json:"probes"`
	// Allocated is what the kubelet admitted for the container (in-place resize), Actual
	// what its running instance was started or updated with; never changed in place.
	Allocated *api.ResourceRequirements `json:"allocated,omitempty"`
	Actual    *api.ResourceRequirements `json:"actual,omitempty"`
	// Image is the image the running instance was started from.
	Image string `json:"image,omitempty"`
}

// ProbeWorker is one probe worker's memory (pkg/kubelet/prober/worker.go).
type ProbeWorker struct {
	// Result is the cached result ("", Success, Failure).
	Result string `json:"result,omitempty"`
	// LastOK and Run are the last raw result and how many consecutive attempts returned it.
	LastOK bool  `json:"lastOK,omitempty"`
	Run    int32 `json:"run,omitempty"`
	// Hold is set after a liveness failure or any startup verdict until a new instance.
	Hold bool `json:"hold,omitempty"`
	// Anchor is the ticker phase: ticks at Anchor + k*period.
	Anchor api.Time `json:"anchor"`
	// LastAt is the time of the last attempt, so one instant never probes twice.
	LastAt api.Time `json:"lastAt"`
}

// NodeRuntime is a node's kubelet state.
type NodeRuntime struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	// Machine is n in the node's host address 10.0.0.<n+1> (pod status hostIP) when the
	// Node lists no InternalIP.
	Machine int `json:"machine"`
	// Images are the images present on the node.
	Images map[string]bool `json:"images,omitempty"`
}

// CloneSelf is api.Clone's copy without reflection: every pod start copies its node's
// runtime. Every field is a plain value but Images, a map of plain values.
func (r *NodeRuntime) CloneSelf() *NodeRuntime {
	if r == nil {
		return nil
	}
	return &NodeRuntime{TypeMeta: r.TypeMeta, ObjectMeta: r.ObjectMeta.DeepCopy(), Machine: r.Machine, Images: maps.Clone(r.Images)}
}

// Machines numbers the nodes' machines in the order the kubelet first sees the nodes.
type Machines struct {
	api.TypeMeta   `json:",inline"`
	api.ObjectMeta `json:"metadata"`
	Next           int `json:"next"`
}

// clone is a deep copy of rt, the same as api.Clone(rt) (nil and empty slices kept apart) but
// without reflection: every sync copies its pod's runtime. The containers' Allocated and
// Actual are shared, never changed in place (each sync used to copy their maps).
// TestRuntimeCloneIsDeep checks it field by field, so a field added to these types without
// being copied here fails it.
func (rt *PodRuntime) clone() *PodRuntime {
	cp := *rt
	cp.ObjectMeta = rt.ObjectMeta.DeepCopy()
	cp.Config = rt.Config.clone()
	if rt.Containers != nil {
		cp.Containers = make([]ContainerRuntime, len(rt.Containers))
		for i, c := range rt.Containers {
			if c.ExitAt != nil {
				c.ExitAt = api.Ptr(*c.ExitAt)
			}
			if c.KillAt != nil {
				c.KillAt = api.Ptr(*c.KillAt)
			}
			if c.Last != nil {
				c.Last = api.Ptr(*c.Last)
			}
			cp.Containers[i] = c
		}
	}
	return &cp
}

// runtimeChanged reports a difference in the fields a sync changes most (a probe tick sets
// LastAt): true means the runtimes are not reflect.DeepEqual, false means look deeper. It
// spares the reflection on the usual write.
func runtimeChanged(a, b *PodRuntime) bool {
	if a.NextWake != b.NextWake || a.SandboxPending != b.SandboxPending || a.TerminatingAt != b.TerminatingAt ||
		a.PodIP != b.PodIP || a.ResyncAt != b.ResyncAt || len(a.Containers) != len(b.Containers) {
		return true
	}
	for i := range a.Containers {
		x, y := &a.Containers[i], &b.Containers[i]
		if x.Probes != y.Probes || x.Phase != y.Phase || x.RestartCount != y.RestartCount || x.StartedAt != y.StartedAt ||
			x.Started != y.Started || x.Instance != y.Instance {
			return true
		}
	}
	return false
}
