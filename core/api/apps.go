package api

// PodTemplateSpec is core/v1 PodTemplateSpec.
type PodTemplateSpec struct {
	ObjectMeta `json:"metadata,omitempty"`
	Spec       PodSpec `json:"spec"`
}

// Deployment is apps/v1 Deployment.
type Deployment struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       DeploymentSpec   `json:"spec"`
	Status     DeploymentStatus `json:"status,omitempty"`
}

// DeploymentSpec is apps/v1 DeploymentSpec.
type DeploymentSpec struct {
	Replicas                *int32             `json:"replicas,omitempty"`
	Selector                *LabelSelector     `json:"selector"`
	Template                PodTemplateSpec    `json:"template"`
	Strategy                DeploymentStrategy `json:"strategy,omitempty"`
	MinReadySeconds         int32              `json:"minReadySeconds,omitempty"`
	RevisionHistoryLimit    *int32             `json:"revisionHistoryLimit,omitempty"`
	Paused                  bool               `json:"paused,omitempty"`
	ProgressDeadlineSeconds *int32             `json:"progressDeadlineSeconds,omitempty"`
}

// Deployment strategy types.
const (
	RecreateDeploymentStrategy      = "Recreate"
	RollingUpdateDeploymentStrategy = "RollingUpdate"
)

// DeploymentStrategy is apps/v1 DeploymentStrategy.
type DeploymentStrategy struct {
	Type          string                   `json:"type,omitempty"`
	RollingUpdate *RollingUpdateDeployment `json:"rollingUpdate,omitempty"`
}

// RollingUpdateDeployment is apps/v1 RollingUpdateDeployment.
type RollingUpdateDeployment struct {
	MaxUnavailable *IntOrString `json:"maxUnavailable,omitempty"`
	MaxSurge       *IntOrString `json:"maxSurge,omitempty"`
}

// DeploymentStatus is apps/v1 DeploymentStatus.
type DeploymentStatus struct {
	ObservedGeneration  int64                 `json:"observedGeneration,omitempty"`
	Replicas            int32                 `json:"replicas,omitempty"`
	UpdatedReplicas     int32                 `json:"updatedReplicas,omitempty"`
	ReadyReplicas       int32                 `json:"readyReplicas,omitempty"`
	AvailableReplicas   int32                 `json:"availableReplicas,omitempty"`
	UnavailableReplicas int32                 `json:"unavailableReplicas,omitempty"`
	TerminatingReplicas *int32                `json:"terminatingReplicas,omitempty"`
	Conditions          []DeploymentCondition `json:"conditions,omitempty"`
	CollisionCount      *int32                `json:"collisionCount,omitempty"`
}

// DeploymentCondition is apps/v1 DeploymentCondition (also used for ReplicaSet and
// StatefulSet conditions, which have the same shape).
type DeploymentCondition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	LastUpdateTime     Time   `json:"lastUpdateTime,omitempty"`
	LastTransitionTime Time   `json:"lastTransitionTime,omitempty"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
}

// ReplicaSet is apps/v1 ReplicaSet.
type ReplicaSet struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       ReplicaSetSpec   `json:"spec"`
	Status     ReplicaSetStatus `json:"status,omitempty"`
}

// ReplicaSetSpec is apps/v1 ReplicaSetSpec.
type ReplicaSetSpec struct {
	Replicas        *int32          `json:"replicas,omitempty"`
	MinReadySeconds int32           `json:"minReadySeconds,omitempty"`
	Selector        *LabelSelector  `json:"selector"`
	Template        PodTemplateSpec `json:"template,omitempty"`
}

// ReplicaSetStatus is apps/v1 ReplicaSetStatus.
type ReplicaSetStatus struct {
	Replicas             int32                 `json:"replicas"`
	FullyLabeledReplicas int32                 `json:"fullyLabeledReplicas,omitempty"`
	ReadyReplicas        int32                 `json:"readyReplicas,omitempty"`
	AvailableReplicas    int32                 `json:"availableReplicas,omitempty"`
	TerminatingReplicas  *int32                `json:"terminatingReplicas,omitempty"`
	ObservedGeneration   int64                 `json:"observedGeneration,omitempty"`
	Conditions           []DeploymentCondition `json:"conditions,omitempty"`
}

// StatefulSet is apps/v1 StatefulSet.
type StatefulSet struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       StatefulSetSpec   `json:"spec"`
	Status     StatefulSetStatus `json:"status,omitempty"`
}

// StatefulSetSpec is apps/v1 StatefulSetSpec.
type StatefulSetSpec struct {
	Replicas                             *int32                         `json:"replicas,omitempty"`
	Selector                             *LabelSelector                 `json:"selector"`
	Template                             PodTemplateSpec                `json:"template"`
	VolumeClaimTemplates                 []PersistentVolumeClaim        `json:"volumeClaimTemplates,omitempty"`
	ServiceName                          string                         `json:"serviceName,omitempty"`
	PodManagementPolicy                  string                         `json:"podManagementPolicy,omitempty"`
	UpdateStrategy                       StatefulSetUpdateStrategy      `json:"updateStrategy,omitempty"`
	RevisionHistoryLimit                 *int32                         `json:"revisionHistoryLimit,omitempty"`
	MinReadySeconds                      int32                          `json:"minReadySeconds,omitempty"`
	PersistentVolumeClaimRetentionPolicy *StatefulSetPVCRetentionPolicy `json:"persistentVolumeClaimRetentionPolicy,omitempty"`
	Ordinals                             *StatefulSetOrdinals           `json:"ordinals,omitempty"`
}

// StatefulSet pod management policies and update strategies.
const (
	OrderedReadyPodManagement = "OrderedReady"
	ParallelPodManagement     = "Parallel"
	RollingUpdateStatefulSet  = "RollingUpdate"
	OnDeleteStatefulSet       = "OnDelete"
	RetainPVCRetentionPolicy  = "Retain"
	DeletePVCRetentionPolicy  = "Delete"
)

// StatefulSetUpdateStrategy is apps/v1 StatefulSetUpdateStrategy.
type StatefulSetUpdateStrategy struct {
	Type          string                            `json:"type,omitempty"`
	RollingUpdate *RollingUpdateStatefulSetStrategy `json:"rollingUpdate,omitempty"`
}

// RollingUpdateStatefulSetStrategy is apps/v1 RollingUpdateStatefulSetStrategy.
type RollingUpdateStatefulSetStrategy struct {
	Partition      *int32       `json:"partition,omitempty"`
	MaxUnavailable *IntOrString `json:"maxUnavailable,omitempty"`
}

// StatefulSetPVCRetentionPolicy is apps/v1 StatefulSetPersistentVolumeClaimRetentionPolicy.
type StatefulSetPVCRetentionPolicy struct {
	WhenDeleted string `json:"whenDeleted,omitempty"`
	WhenScaled  string `json:"whenScaled,omitempty"`
}

// StatefulSetOrdinals is apps/v1 StatefulSetOrdinals.
type StatefulSetOrdinals struct {
	Start int32 `json:"start"`
}

// StatefulSetStatus is apps/v1 StatefulSetStatus.
type StatefulSetStatus struct {
	ObservedGeneration int64                 `json:"observedGeneration,omitempty"`
	Replicas           int32                 `json:"replicas"`
	ReadyReplicas      int32                 `json:"readyReplicas,omitempty"`
	CurrentReplicas    int32                 `json:"currentReplicas,omitempty"`
	UpdatedReplicas    int32                 `json:"updatedReplicas,omitempty"`
	AvailableReplicas  int32                 `json:"availableReplicas"`
	CurrentRevision    string                `json:"currentRevision,omitempty"`
	UpdateRevision     string                `json:"updateRevision,omitempty"`
	CollisionCount     *int32                `json:"collisionCount,omitempty"`
	Conditions         []DeploymentCondition `json:"conditions,omitempty"`
}

// ControllerRevision is apps/v1 ControllerRevision; Data holds the template it records.
type ControllerRevision struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Revision   int64            `json:"revision"`
	Data       *PodTemplateSpec `json:"data,omitempty"`
}
