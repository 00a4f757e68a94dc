package api

// Pod is core/v1 Pod.
type Pod struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       PodSpec   `json:"spec"`
	Status     PodStatus `json:"status,omitempty"`
}

// PodSpec is the modelled subset of core/v1 PodSpec.
type PodSpec struct {
	InitContainers                []Container         `json:"initContainers,omitempty"`
	Containers                    []Container         `json:"containers"`
	RestartPolicy                 string              `json:"restartPolicy,omitempty"`
	TerminationGracePeriodSeconds *int64              `json:"terminationGracePeriodSeconds,omitempty"`
	ActiveDeadlineSeconds         *int64              `json:"activeDeadlineSeconds,omitempty"`
	NodeSelector                  map[string]string   `json:"nodeSelector,omitempty"`
	NodeName                      string              `json:"nodeName,omitempty"`
	ServiceAccountName            string              `json:"serviceAccountName,omitempty"`
	Hostname                      string              `json:"hostname,omitempty"`
	Subdomain                     string              `json:"subdomain,omitempty"`
	Affinity                      *Affinity           `json:"affinity,omitempty"`
	Tolerations                   []Toleration        `json:"tolerations,omitempty"`
	SchedulerName                 string              `json:"schedulerName,omitempty"`
	PriorityClassName             string              `json:"priorityClassName,omitempty"`
	Priority                      *int32              `json:"priority,omitempty"`
	PreemptionPolicy              *string             `json:"preemptionPolicy,omitempty"`
	Volumes                       []Volume            `json:"volumes,omitempty"`
	TopologySpreadConstraints     []TopologySpread    `json:"topologySpreadConstraints,omitempty"`
	SecurityContext               *PodSecurityContext `json:"securityContext,omitempty"`
	DNSPolicy                     string              `json:"dnsPolicy,omitempty"`
	EnableServiceLinks            *bool               `json:"enableServiceLinks,omitempty"`
	ImagePullSecrets              []NameRef           `json:"imagePullSecrets,omitempty"`
}

// NameRef is a reference by name (LocalObjectReference).
type NameRef struct {
	Name string `json:"name"`
}

// PodSecurityContext is accepted and kept but not simulated.
type PodSecurityContext struct {
	RunAsUser    *int64 `json:"runAsUser,omitempty"`
	RunAsGroup   *int64 `json:"runAsGroup,omitempty"`
	RunAsNonRoot *bool  `json:"runAsNonRoot,omitempty"`
	FSGroup      *int64 `json:"fsGroup,omitempty"`
}

// Container is the modelled subset of core/v1 Container.
type Container struct {
	Name                     string                  `json:"name"`
	Image                    string                  `json:"image,omitempty"`
	Command                  []string                `json:"command,omitempty"`
	Args                     []string                `json:"args,omitempty"`
	WorkingDir               string                  `json:"workingDir,omitempty"`
	Ports                    []ContainerPort         `json:"ports,omitempty"`
	Env                      []EnvVar                `json:"env,omitempty"`
	EnvFrom                  []EnvFromSource         `json:"envFrom,omitempty"`
	Resources                ResourceRequirements    `json:"resources,omitempty"`
	ResizePolicy             []ContainerResizePolicy `json:"resizePolicy,omitempty"`
	VolumeMounts             []VolumeMount           `json:"volumeMounts,omitempty"`
	LivenessProbe            *Probe                  `json:"livenessProbe,omitempty"`
	ReadinessProbe           *Probe                  `json:"readinessProbe,omitempty"`
	StartupProbe             *Probe                  `json:"startupProbe,omitempty"`
	Lifecycle                *Lifecycle              `json:"lifecycle,omitempty"`
	TerminationMessagePath   string                  `json:"terminationMessagePath,omitempty"`
	TerminationMessagePolicy string                  `json:"terminationMessagePolicy,omitempty"`
	ImagePullPolicy          string                  `json:"imagePullPolicy,omitempty"`
	RestartPolicy            *string                 `json:"restartPolicy,omitempty"`
	SecurityContext          *ContainerSecurityCtx   `json:"securityContext,omitempty"`
	Stdin                    bool                    `json:"stdin,omitempty"`
	TTY                      bool                    `json:"tty,omitempty"`
}

// ContainerResizePolicy is core/v1 ContainerResizePolicy: whether resizing resourceName
// (cpu or memory) in place needs a container restart. A resource without a policy is
// NotRequired.
type ContainerResizePolicy struct {
	ResourceName  string `json:"resourceName"`
	RestartPolicy string `json:"restartPolicy"`
}

// Resize restart policies (core/v1 ResourceResizeRestartPolicy).
const (
	ResizeNotRequired      = "NotRequired"
	ResizeRestartContainer = "RestartContainer"
)

// ContainerSecurityCtx is accepted and kept but not simulated.
type ContainerSecurityCtx struct {
	RunAsUser                *int64 `json:"runAsUser,omitempty"`
	RunAsNonRoot             *bool  `json:"runAsNonRoot,omitempty"`
	Privileged               *bool  `json:"privileged,omitempty"`
	ReadOnlyRootFilesystem   *bool  `json:"readOnlyRootFilesystem,omitempty"`
	AllowPrivilegeEscalation *bool  `json:"allowPrivilegeEscalation,omitempty"`
}

// ContainerPort is core/v1 ContainerPort.
type ContainerPort struct {
	Name          string `json:"name,omitempty"`
	ContainerPort int32  `json:"containerPort"`
	Protocol      string `json:"protocol,omitempty"`
	HostPort      int32  `json:"hostPort,omitempty"`
}

// EnvVar is core/v1 EnvVar (values are kept, not interpreted).
type EnvVar struct {
	Name      string        `json:"name"`
	Value     string        `json:"value,omitempty"`
	ValueFrom *EnvVarSource `json:"valueFrom,omitempty"`
}

// EnvVarSource is core/v1 EnvVarSource.
type EnvVarSource struct {
	FieldRef         *FieldSelector `json:"fieldRef,omitempty"`
	ConfigMapKeyRef  *KeySelector   `json:"configMapKeyRef,omitempty"`
	SecretKeyRef     *KeySelector   `json:"secretKeyRef,omitempty"`
	ResourceFieldRef *ResourceRef   `json:"resourceFieldRef,omitempty"`
}

// FieldSelector is core/v1 ObjectFieldSelector.
type FieldSelector struct {
	APIVersion string `json:"apiVersion,omitempty"`
	FieldPath  string `json:"fieldPath"`
}

// KeySelector is core/v1 ConfigMapKeySelector / SecretKeySelector.
type KeySelector struct {
	Name     string `json:"name"`
	Key      string `json:"key"`
	Optional *bool  `json:"optional,omitempty"`
}

// ResourceRef is core/v1 ResourceFieldSelector.
type ResourceRef struct {
	ContainerName string   `json:"containerName,omitempty"`
	Resource      string   `json:"resource"`
	Divisor       Quantity `json:"divisor,omitempty"`
}

// EnvFromSource is core/v1 EnvFromSource.
type EnvFromSource struct {
	Prefix       string       `json:"prefix,omitempty"`
	ConfigMapRef *OptionalRef `json:"configMapRef,omitempty"`
	SecretRef    *OptionalRef `json:"secretRef,omitempty"`
}

// OptionalRef is core/v1 ConfigMapEnvSource / SecretEnvSource.
type OptionalRef struct {
	Name     string `json:"name"`
	Optional *bool  `json:"optional,omitempty"`
}

// ResourceRequirements is core/v1 ResourceRequirements.
type ResourceRequirements struct {
	Requests ResourceList `json:"requests,omitempty"`
	Limits   ResourceList `json:"limits,omitempty"`
}

// VolumeMount is core/v1 VolumeMount.
type VolumeMount struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
	SubPath   string `json:"subPath,omitempty"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
}

// Volume is core/v1 Volume with the sources the simulator understands.
type Volume struct {
	Name                  string                   `json:"name"`
	PersistentVolumeClaim *PVCVolumeSource         `json:"persistentVolumeClaim,omitempty"`
	EmptyDir              *EmptyDirVolumeSource    `json:"emptyDir,omitempty"`
	ConfigMap             *ConfigMapVolumeSource   `json:"configMap,omitempty"`
	Secret                *SecretVolumeSource      `json:"secret,omitempty"`
	HostPath              *HostPathVolumeSource    `json:"hostPath,omitempty"`
	Projected             *ProjectedVolumeSource   `json:"projected,omitempty"`
	DownwardAPI           *DownwardAPIVolumeSource `json:"downwardAPI,omitempty"`
}

// PVCVolumeSource is core/v1 PersistentVolumeClaimVolumeSource.
type PVCVolumeSource struct {
	ClaimName string `json:"claimName"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
}

// EmptyDirVolumeSource is core/v1 EmptyDirVolumeSource.
type EmptyDirVolumeSource struct {
	Medium    string    `json:"medium,omitempty"`
	SizeLimit *Quantity `json:"sizeLimit,omitempty"`
}

// KeyToPath is core/v1 KeyToPath.
type KeyToPath struct {
	Key  string `json:"key"`
	Path string `json:"path"`
	Mode *int32 `json:"mode,omitempty"`
}

// ConfigMapVolumeSource is core/v1 ConfigMapVolumeSource.
type ConfigMapVolumeSource struct {
	Name        string      `json:"name,omitempty"`
	Items       []KeyToPath `json:"items,omitempty"`
	DefaultMode *int32      `json:"defaultMode,omitempty"`
	Optional    *bool       `json:"optional,omitempty"`
}

// SecretVolumeSource is core/v1 SecretVolumeSource.
type SecretVolumeSource struct {
	SecretName  string      `json:"secretName,omitempty"`
	Items       []KeyToPath `json:"items,omitempty"`
	DefaultMode *int32      `json:"defaultMode,omitempty"`
	Optional    *bool       `json:"optional,omitempty"`
}

// HostPathVolumeSource is core/v1 HostPathVolumeSource.
type HostPathVolumeSource struct {
	Path string `json:"path"`
	Type string `json:"type,omitempty"`
}

// ProjectedVolumeSource is core/v1 ProjectedVolumeSource with the configMap and secret
// sources (the others are not modelled).
type ProjectedVolumeSource struct {
	Sources     []VolumeProjection `json:"sources,omitempty"`
	DefaultMode *int32             `json:"defaultMode,omitempty"`
}

// VolumeProjection is core/v1 VolumeProjection.
type VolumeProjection struct {
	ConfigMap *ConfigMapProjection `json:"configMap,omitempty"`
	Secret    *SecretProjection    `json:"secret,omitempty"`
}

// ConfigMapProjection is core/v1 ConfigMapProjection.
type ConfigMapProjection struct {
	Name     string      `json:"name,omitempty"`
	Items    []KeyToPath `json:"items,omitempty"`
	Optional *bool       `json:"optional,omitempty"`
}

// SecretProjection is core/v1 SecretProjection.
type SecretProjection struct {
	Name     string      `json:"name,omitempty"`
	Items    []KeyToPath `json:"items,omitempty"`
	Optional *bool       `json:"optional,omitempty"`
}

// DownwardAPIVolumeSource is accepted and kept but not simulated.
type DownwardAPIVolumeSource struct {
	DefaultMode *int32 `json:"defaultMode,omitempty"`
}

// Probe is core/v1 Probe.
type Probe struct {
	Exec                          *ExecAction      `json:"exec,omitempty"`
	HTTPGet                       *HTTPGetAction   `json:"httpGet,omitempty"`
	TCPSocket                     *TCPSocketAction `json:"tcpSocket,omitempty"`
	GRPC                          *GRPCAction      `json:"grpc,omitempty"`
	InitialDelaySeconds           int32            `json:"initialDelaySeconds,omitempty"`
	TimeoutSeconds                int32            `json:"timeoutSeconds,omitempty"`
	PeriodSeconds                 int32            `json:"periodSeconds,omitempty"`
	SuccessThreshold              int32            `json:"successThreshold,omitempty"`
	FailureThreshold              int32            `json:"failureThreshold,omitempty"`
	TerminationGracePeriodSeconds *int64           `json:"terminationGracePeriodSeconds,omitempty"`
}

// ExecAction is core/v1 ExecAction.
type ExecAction struct {
	Command []string `json:"command,omitempty"`
}

// HTTPGetAction is core/v1 HTTPGetAction.
type HTTPGetAction struct {
	Path        string       `json:"path,omitempty"`
	Port        IntOrString  `json:"port"`
	Host        string       `json:"host,omitempty"`
	Scheme      string       `json:"scheme,omitempty"`
	HTTPHeaders []HTTPHeader `json:"httpHeaders,omitempty"`
}

// HTTPHeader is core/v1 HTTPHeader.
type HTTPHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// TCPSocketAction is core/v1 TCPSocketAction.
type TCPSocketAction struct {
	Port IntOrString `json:"port"`
	Host string      `json:"host,omitempty"`
}

// GRPCAction is core/v1 GRPCAction.
type GRPCAction struct {
	Port    int32   `json:"port"`
	Service *string `json:"service,omitempty"`
}

// Lifecycle is core/v1 Lifecycle.
type Lifecycle struct {
	PostStart *LifecycleHandler `json:"postStart,omitempty"`
	PreStop   *LifecycleHandler `json:"preStop,omitempty"`
}

// LifecycleHandler is core/v1 LifecycleHandler.
type LifecycleHandler struct {
	Exec      *ExecAction      `json:"exec,omitempty"`
	HTTPGet   *HTTPGetAction   `json:"httpGet,omitempty"`
	TCPSocket *TCPSocketAction `json:"tcpSocket,omitempty"`
	Sleep     *SleepAction     `json:"sleep,omitempty"`
}

// SleepAction is core/v1 SleepAction.
type SleepAction struct {
	Seconds int64 `json:"seconds"`
}

// Affinity is core/v1 Affinity.
type Affinity struct {
	NodeAffinity    *NodeAffinity `json:"nodeAffinity,omitempty"`
	PodAffinity     *PodAffinity  `json:"podAffinity,omitempty"`
	PodAntiAffinity *PodAffinity  `json:"podAntiAffinity,omitempty"`
}

// NodeAffinity is core/v1 NodeAffinity.
type NodeAffinity struct {
	RequiredDuringSchedulingIgnoredDuringExecution  *NodeSelector             `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	PreferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// NodeSelector is core/v1 NodeSelector: the terms are ORed.
type NodeSelector struct {
	NodeSelectorTerms []NodeSelectorTerm `json:"nodeSelectorTerms"`
}

// NodeSelectorTerm is core/v1 NodeSelectorTerm: the requirements are ANDed.
type NodeSelectorTerm struct {
	MatchExpressions []NodeSelectorRequirement `json:"matchExpressions,omitempty"`
	MatchFields      []NodeSelectorRequirement `json:"matchFields,omitempty"`
}

// NodeSelectorRequirement is core/v1 NodeSelectorRequirement (In, NotIn, Exists, DoesNotExist, Gt, Lt).
type NodeSelectorRequirement struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"`
	Values   []string `json:"values,omitempty"`
}

// PreferredSchedulingTerm is core/v1 PreferredSchedulingTerm.
type PreferredSchedulingTerm struct {
	Weight     int32            `json:"weight"`
	Preference NodeSelectorTerm `json:"preference"`
}

// PodAffinity holds pod affinity or anti-affinity terms (the scheduler's InterPodAffinity).
type PodAffinity struct {
	RequiredDuringSchedulingIgnoredDuringExecution  []PodAffinityTerm         `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	PreferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// PodAffinityTerm is core/v1 PodAffinityTerm.
// Namespaces and NamespaceSelector are ORed; with neither the term means the pod's own
// namespace. MatchLabelKeys and MismatchLabelKeys are merged into LabelSelector when the pod is
// created (DefaultPod), as the API server does since they went GA in 1.33.
type PodAffinityTerm struct {
	LabelSelector     *LabelSelector `json:"labelSelector,omitempty"`
	Namespaces        []string       `json:"namespaces,omitempty"`
	TopologyKey       string         `json:"topologyKey"`
	NamespaceSelector *LabelSelector `json:"namespaceSelector,omitempty"`
	MatchLabelKeys    []string       `json:"matchLabelKeys,omitempty"`
	MismatchLabelKeys []string       `json:"mismatchLabelKeys,omitempty"`
}

// WeightedPodAffinityTerm is core/v1 WeightedPodAffinityTerm.
type WeightedPodAffinityTerm struct {
	Weight          int32           `json:"weight"`
	PodAffinityTerm PodAffinityTerm `json:"podAffinityTerm"`
}

// TopologySpread is core/v1 TopologySpreadConstraint. The scheduler's PodTopologySpread
// filter enforces the DoNotSchedule ones and its score prefers spreading by the ScheduleAnyway ones.
type TopologySpread struct {
	MaxSkew           int32          `json:"maxSkew"`
	TopologyKey       string         `json:"topologyKey"`
	WhenUnsatisfiable string         `json:"whenUnsatisfiable"`
	LabelSelector     *LabelSelector `json:"labelSelector,omitempty"`
	MinDomains        *int32         `json:"minDomains,omitempty"`
	// NodeAffinityPolicy and NodeTaintsPolicy are Honor or Ignore (unset: Honor, Ignore).
	NodeAffinityPolicy *string  `json:"nodeAffinityPolicy,omitempty"`
	NodeTaintsPolicy   *string  `json:"nodeTaintsPolicy,omitempty"`
	MatchLabelKeys     []string `json:"matchLabelKeys,omitempty"`
}

// whenUnsatisfiable values and node inclusion policies (core/v1).
const (
	DoNotSchedule  = "DoNotSchedule"
	ScheduleAnyway = "ScheduleAnyway"
	PolicyHonor    = "Honor"
	PolicyIgnore   = "Ignore"
)

// Toleration is core/v1 Toleration.
type Toleration struct {
	Key               string `json:"key,omitempty"`
	Operator          string `json:"operator,omitempty"`
	Value             string `json:"value,omitempty"`
	Effect            string `json:"effect,omitempty"`
	TolerationSeconds *int64 `json:"tolerationSeconds,omitempty"`
}

// Pod phases.
const (
	PodPending   = "Pending"
	PodRunning   = "Running"
	PodSucceeded = "Succeeded"
	PodFailed    = "Failed"
	PodUnknown   = "Unknown"
)

// Restart policies.
const (
	RestartAlways    = "Always"
	RestartOnFailure = "OnFailure"
	RestartNever     = "Never"
)

// PodStatus is core/v1 PodStatus.
type PodStatus struct {
	Phase                 string            `json:"phase,omitempty"`
	Conditions            []PodCondition    `json:"conditions,omitempty"`
	Message               string            `json:"message,omitempty"`
	Reason                string            `json:"reason,omitempty"`
	HostIP                string            `json:"hostIP,omitempty"`
	PodIP                 string            `json:"podIP,omitempty"`
	StartTime             *Time             `json:"startTime,omitempty"`
	InitContainerStatuses []ContainerStatus `json:"initContainerStatuses,omitempty"`
	ContainerStatuses     []ContainerStatus `json:"containerStatuses,omitempty"`
	QOSClass              string            `json:"qosClass,omitempty"`
	NominatedNodeName     string            `json:"nominatedNodeName,omitempty"`
}

// Pod condition types.
const (
	PodScheduled              = "PodScheduled"
	PodReadyToStartContainers = "PodReadyToStartContainers"
	PodInitialized            = "Initialized"
	ContainersReady           = "ContainersReady"
	PodReady                  = "Ready"
	DisruptionTarget          = "DisruptionTarget"
	// PodResizePending: the spec asks for resources the kubelet has not allocated yet
	// (reason Deferred or Infeasible); PodResizeInProgress: allocated, not yet actuated.
	PodResizePending    = "PodResizePending"
	PodResizeInProgress = "PodResizeInProgress"
)

// PodResizePending reasons.
const (
	PodReasonDeferred   = "Deferred"
	PodReasonInfeasible = "Infeasible"
)

// Condition statuses.
const (
	ConditionTrue    = "True"
	ConditionFalse   = "False"
	ConditionUnknown = "Unknown"
)

// PodCondition is core/v1 PodCondition.
type PodCondition struct {
	Type               string `json:"type"`
	ObservedGeneration int64  `json:"observedGeneration,omitempty"`
	Status             string `json:"status"`
	LastProbeTime      Time   `json:"lastProbeTime,omitempty"`
	LastTransitionTime Time   `json:"lastTransitionTime,omitempty"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
}

// ContainerStatus is core/v1 ContainerStatus.
type ContainerStatus struct {
	Name                 string         `json:"name"`
	State                ContainerState `json:"state,omitempty"`
	LastTerminationState ContainerState `json:"lastState,omitempty"`
	Ready                bool           `json:"ready"`
	RestartCount         int32          `json:"restartCount"`
	Image                string         `json:"image"`
	ImageID              string         `json:"imageID,omitempty"`
	ContainerID          string         `json:"containerID,omitempty"`
	Started              *bool          `json:"started,omitempty"`
	// AllocatedResources are the requests the kubelet admitted; Resources what the runtime
	// runs the container with (in-place resize, KEP-1287).
	AllocatedResources ResourceList          `json:"allocatedResources,omitempty"`
	Resources          *ResourceRequirements `json:"resources,omitempty"`
}

// ContainerState holds at most one of its members.
type ContainerState struct {
	Waiting    *ContainerStateWaiting    `json:"waiting,omitempty"`
	Running    *ContainerStateRunning    `json:"running,omitempty"`
	Terminated *ContainerStateTerminated `json:"terminated,omitempty"`
}

// ContainerStateWaiting is core/v1 ContainerStateWaiting.
type ContainerStateWaiting struct {
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
}

// ContainerStateRunning is core/v1 ContainerStateRunning.
type ContainerStateRunning struct {
	StartedAt Time `json:"startedAt,omitempty"`
}

// ContainerStateTerminated is core/v1 ContainerStateTerminated.
type ContainerStateTerminated struct {
	ExitCode    int32  `json:"exitCode"`
	Signal      int32  `json:"signal,omitempty"`
	Reason      string `json:"reason,omitempty"`
	Message     string `json:"message,omitempty"`
	StartedAt   Time   `json:"startedAt,omitempty"`
	FinishedAt  Time   `json:"finishedAt,omitempty"`
	ContainerID string `json:"containerID,omitempty"`
}

// GetCondition returns the pod condition of type t, or nil.
func (p *Pod) GetCondition(t string) *PodCondition {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == t {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

// IsReady reports whether the pod's Ready condition is True (pkg/api/v1/pod IsPodReady).
func (p *Pod) IsReady() bool {
	c := p.GetCondition(PodReady)
	return c != nil && c.Status == ConditionTrue
}

// IsAvailable reports whether the pod has been Ready for minReadySeconds at now
// (pkg/api/v1/pod IsPodAvailable in v1.37.2: minReadySeconds 0 means Ready is enough;
// otherwise the Ready transition plus minReadySeconds must be at or before now,
// `Compare(now) <= 0`, so a controller that wants to notice the moment wakes exactly then.
// workloads.md §2.4 says "strictly before", which older releases did; the conformance
// module's comparison with the real ReplicaSet controller found the difference).
func (p *Pod) IsAvailable(minReadySeconds int32, now Time) bool {
	c := p.GetCondition(PodReady)
	if c == nil || c.Status != ConditionTrue {
		return false
	}
	return minReadySeconds == 0 || c.LastTransitionTime.Add(Seconds(int64(minReadySeconds))) <= now
}

// IsTerminating reports whether the pod has a deletion timestamp.
func (p *Pod) IsTerminating() bool { return p.DeletionTimestamp != nil }

// IsTerminal reports whether the pod phase is Succeeded or Failed.
func (p *Pod) IsTerminal() bool {
	return p.Status.Phase == PodSucceeded || p.Status.Phase == PodFailed
}

// IsActive reports whether the pod counts toward a controller's replicas
// (pkg/controller IsPodActive: not terminal and not being deleted).
func (p *Pod) IsActive() bool { return !p.IsTerminal() && !p.IsTerminating() }

// TotalRestarts sums the restart counts of the regular containers.
func (p *Pod) TotalRestarts() int32 {
	var n int32
	for _, c := range p.Status.ContainerStatuses {
		n += c.RestartCount
	}
	return n
}
