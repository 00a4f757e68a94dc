package api

// PersistentVolumeClaim is core/v1 PersistentVolumeClaim.
type PersistentVolumeClaim struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       PersistentVolumeClaimSpec   `json:"spec"`
	Status     PersistentVolumeClaimStatus `json:"status,omitempty"`
}

// PersistentVolumeClaimSpec is core/v1 PersistentVolumeClaimSpec.
type PersistentVolumeClaimSpec struct {
	AccessModes      []string                   `json:"accessModes,omitempty"`
	Selector         *LabelSelector             `json:"selector,omitempty"`
	Resources        VolumeResourceRequirements `json:"resources,omitempty"`
	VolumeName       string                     `json:"volumeName,omitempty"`
	StorageClassName *string                    `json:"storageClassName,omitempty"`
	VolumeMode       *string                    `json:"volumeMode,omitempty"`
}

// VolumeResourceRequirements is core/v1 VolumeResourceRequirements.
type VolumeResourceRequirements struct {
	Requests ResourceList `json:"requests,omitempty"`
	Limits   ResourceList `json:"limits,omitempty"`
}

// PVC and PV phases.
const (
	ClaimPending    = "Pending"
	ClaimBound      = "Bound"
	ClaimLost       = "Lost"
	VolumeAvailable = "Available"
	VolumeBound     = "Bound"
	VolumeReleased  = "Released"
	VolumeFailed    = "Failed"
)

// PersistentVolumeClaimStatus is core/v1 PersistentVolumeClaimStatus.
type PersistentVolumeClaimStatus struct {
	Phase       string       `json:"phase,omitempty"`
	AccessModes []string     `json:"accessModes,omitempty"`
	Capacity    ResourceList `json:"capacity,omitempty"`
}

// PersistentVolume is core/v1 PersistentVolume.
type PersistentVolume struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	Spec       PersistentVolumeSpec   `json:"spec"`
	Status     PersistentVolumeStatus `json:"status,omitempty"`
}

// PersistentVolumeSpec is core/v1 PersistentVolumeSpec with the sources the simulator accepts.
type PersistentVolumeSpec struct {
	Capacity                      ResourceList          `json:"capacity,omitempty"`
	AccessModes                   []string              `json:"accessModes,omitempty"`
	ClaimRef                      *ObjectReference      `json:"claimRef,omitempty"`
	PersistentVolumeReclaimPolicy string                `json:"persistentVolumeReclaimPolicy,omitempty"`
	StorageClassName              string                `json:"storageClassName,omitempty"`
	VolumeMode                    *string               `json:"volumeMode,omitempty"`
	NodeAffinity                  *VolumeNodeAffinity   `json:"nodeAffinity,omitempty"`
	HostPath                      *HostPathVolumeSource `json:"hostPath,omitempty"`
	Local                         *LocalVolumeSource    `json:"local,omitempty"`
	CSI                           *CSIVolumeSource      `json:"csi,omitempty"`
}

// VolumeNodeAffinity is core/v1 VolumeNodeAffinity.
type VolumeNodeAffinity struct {
	Required *NodeSelector `json:"required,omitempty"`
}

// LocalVolumeSource is core/v1 LocalVolumeSource.
type LocalVolumeSource struct {
	Path string `json:"path"`
}

// CSIVolumeSource is core/v1 CSIPersistentVolumeSource (driver and handle only).
type CSIVolumeSource struct {
	Driver       string `json:"driver"`
	VolumeHandle string `json:"volumeHandle"`
}

// PersistentVolumeStatus is core/v1 PersistentVolumeStatus.
type PersistentVolumeStatus struct {
	Phase   string `json:"phase,omitempty"`
	Message string `json:"message,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// StorageClass is storage.k8s.io/v1 StorageClass.
type StorageClass struct {
	TypeMeta             `json:",inline"`
	ObjectMeta           `json:"metadata"`
	Provisioner          string            `json:"provisioner"`
	Parameters           map[string]string `json:"parameters,omitempty"`
	ReclaimPolicy        *string           `json:"reclaimPolicy,omitempty"`
	VolumeBindingMode    *string           `json:"volumeBindingMode,omitempty"`
	AllowVolumeExpansion *bool             `json:"allowVolumeExpansion,omitempty"`
}

// Volume binding modes.
const (
	VolumeBindingImmediate            = "Immediate"
	VolumeBindingWaitForFirstConsumer = "WaitForFirstConsumer"
)
