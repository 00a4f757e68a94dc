package api

// Deployment and ReplicaSet defaulting (pkg/apis/apps/v1/defaults.go SetDefaults_Deployment,
// SetDefaults_ReplicaSet, v1.37.2; workloads.md §1.1). StatefulSet defaults live in their own
// file.

func init() {
	RegisterDefaults("Deployment", func(o Object) { DefaultDeployment(o.(*Deployment)) })
	RegisterDefaults("ReplicaSet", func(o Object) { DefaultReplicaSet(o.(*ReplicaSet)) })
}

// DefaultDeployment applies the apps/v1 defaults: replicas 1, RollingUpdate with 25%/25%,
// revisionHistoryLimit 10, progressDeadlineSeconds 600, and the pod template's defaults.
func DefaultDeployment(d *Deployment) {
	if d.Namespace == "" {
		d.Namespace = "default"
	}
	if d.Spec.Replicas == nil {
		d.Spec.Replicas = Ptr(int32(1))
	}
	st := &d.Spec.Strategy
	if st.Type == "" {
		st.Type = RollingUpdateDeploymentStrategy
	}
	if st.Type == RollingUpdateDeploymentStrategy {
		if st.RollingUpdate == nil {
			st.RollingUpdate = &RollingUpdateDeployment{}
		}
		if st.RollingUpdate.MaxUnavailable == nil {
			st.RollingUpdate.MaxUnavailable = Ptr(FromString("25%"))
		}
		if st.RollingUpdate.MaxSurge == nil {
			st.RollingUpdate.MaxSurge = Ptr(FromString("25%"))
		}
	}
	if d.Spec.RevisionHistoryLimit == nil {
		d.Spec.RevisionHistoryLimit = Ptr(int32(10))
	}
	if d.Spec.ProgressDeadlineSeconds == nil {
		d.Spec.ProgressDeadlineSeconds = Ptr(int32(600))
	}
	DefaultPodSpec(&d.Spec.Template.Spec)
}

// DefaultReplicaSet applies the apps/v1 defaults: replicas 1 and the pod template's defaults.
func DefaultReplicaSet(rs *ReplicaSet) {
	if rs.Namespace == "" {
		rs.Namespace = "default"
	}
	if rs.Spec.Replicas == nil {
		rs.Spec.Replicas = Ptr(int32(1))
	}
	DefaultPodSpec(&rs.Spec.Template.Spec)
}
