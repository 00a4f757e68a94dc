package api

import (
	"fmt"
)

// Defaults and validation for StatefulSet, Service, EndpointSlice, PersistentVolumeClaim,
// PersistentVolume and StorageClass, and the registration of the kinds that only controllers
// write (ControllerRevision, DNSRecord).
//
// Upstream: pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet), pkg/apis/core/v1/defaults.go
// (SetDefaults_Service, SetDefaults_PersistentVolume(Claim)), pkg/apis/storage/v1/defaults.go,
// pkg/apis/apps/validation/validation.go (ValidateStatefulSetSpec), v1.37.2.

// StatefulSet labels and annotations (k8s.io/api/apps/v1 types.go).
const (
	StatefulSetPodNameLabel = "statefulset.kubernetes.io/pod-name"
	PodIndexLabel           = "apps.kubernetes.io/pod-index"
	ControllerRevisionHash  = "controller-revision-hash"
)

// Storage annotations used by the PV controller and the scheduler.
const (
	DefaultStorageClassAnnotation = "storageclass.kubernetes.io/is-default-class"
	SelectedNodeAnnotation        = "volume.kubernetes.io/selected-node"
	ProvisionedByAnnotation       = "pv.kubernetes.io/provisioned-by"
	BindCompletedAnnotation       = "pv.kubernetes.io/bind-completed"
	StorageProvisionerAnnotation  = "volume.kubernetes.io/storage-provisioner"
	PVCProtectionFinalizer        = "kubernetes.io/pvc-protection"
	PVProtectionFinalizer         = "kubernetes.io/pv-protection"
	ServiceNameLabel              = "kubernetes.io/service-name"
	ManagedByLabel                = "endpointslice.kubernetes.io/managed-by"
	EndpointSliceControllerName   = "endpointslice-controller.k8s.io"
)

// VolumePending is the phase of a volume not yet available (SetDefaults_PersistentVolume).
const VolumePending = "Pending"

// MaxUnavailableStatefulSetGate is the MaxUnavailableStatefulSet feature gate: on by default
// in v1.37 (workloads.md §0.2, §8.7).
const MaxUnavailableStatefulSetGate = true

func init() {
	addKind("ControllerRevision", "apps/v1", true, func() Object { return &ControllerRevision{} })
	addKind("DNSRecord", "kubesim.dev/v1alpha1", true, func() Object { return &DNSRecord{} })

	RegisterDefaults("StatefulSet", func(o Object) { DefaultStatefulSet(o.(*StatefulSet)) })
	RegisterDefaults("Service", func(o Object) { DefaultService(o.(*Service)) })
	RegisterDefaults("PersistentVolumeClaim", func(o Object) {
		c := o.(*PersistentVolumeClaim)
		defaultPVCSpec(&c.Spec)
		if c.Status.Phase == "" {
			c.Status.Phase = ClaimPending
		}
	})
	RegisterDefaults("PersistentVolume", func(o Object) { DefaultPV(o.(*PersistentVolume)) })
	RegisterDefaults("StorageClass", func(o Object) { DefaultStorageClass(o.(*StorageClass)) })

	RegisterValidation("StatefulSet", func(o Object) ErrorList { return ValidateStatefulSet(o.(*StatefulSet)) })
	RegisterValidation("Service", func(o Object) ErrorList { return ValidateService(o.(*Service)) })
	RegisterValidation("PersistentVolumeClaim", func(o Object) ErrorList {
		c := o.(*PersistentVolumeClaim)
		return validatePVCSpec(&c.Spec, "spec")
	})
	RegisterValidation("PersistentVolume", func(o Object) ErrorList { return ValidatePV(o.(*PersistentVolume)) })
	RegisterValidation("StorageClass", func(o Object) ErrorList { return ValidateStorageClass(o.(*StorageClass)) })
	RegisterValidation("EndpointSlice", func(o Object) ErrorList { return ValidateEndpointSlice(o.(*EndpointSlice)) })
}

// DefaultStatefulSet is SetDefaults_StatefulSet (v1.37.2, MaxUnavailableStatefulSet on).
func DefaultStatefulSet(s *StatefulSet) {
	sp := &s.Spec
	if sp.PodManagementPolicy == "" {
		sp.PodManagementPolicy = OrderedReadyPodManagement
	}
	if sp.UpdateStrategy.Type == "" {
		sp.UpdateStrategy.Type = RollingUpdateStatefulSet
		if sp.UpdateStrategy.RollingUpdate == nil {
			sp.UpdateStrategy.RollingUpdate = &RollingUpdateStatefulSetStrategy{}
		}
	}
	if sp.UpdateStrategy.Type == RollingUpdateStatefulSet && sp.UpdateStrategy.RollingUpdate != nil {
		ru := sp.UpdateStrategy.RollingUpdate
		if ru.Partition == nil {
			ru.Partition = Ptr[int32](0)
		}
		if MaxUnavailableStatefulSetGate && ru.MaxUnavailable == nil {
			ru.MaxUnavailable = Ptr(FromInt(1))
		}
	}
	if sp.PersistentVolumeClaimRetentionPolicy == nil {
		sp.PersistentVolumeClaimRetentionPolicy = &StatefulSetPVCRetentionPolicy{}
	}
	if sp.PersistentVolumeClaimRetentionPolicy.WhenDeleted == "" {
		sp.PersistentVolumeClaimRetentionPolicy.WhenDeleted = RetainPVCRetentionPolicy
	}
	if sp.PersistentVolumeClaimRetentionPolicy.WhenScaled == "" {
		sp.PersistentVolumeClaimRetentionPolicy.WhenScaled = RetainPVCRetentionPolicy
	}
	if sp.Replicas == nil {
		sp.Replicas = Ptr[int32](1)
	}
	if sp.RevisionHistoryLimit == nil {
		sp.RevisionHistoryLimit = Ptr[int32](10)
	}
	for i := range sp.VolumeClaimTemplates {
		defaultPVCSpec(&sp.VolumeClaimTemplates[i].Spec)
	}
	defaultTemplate(&sp.Template)
}

// defaultTemplate defaults the pod template the way upstream defaults a PodTemplateSpec.
func defaultTemplate(t *PodTemplateSpec) { DefaultPodSpec(&t.Spec) }

func defaultPVCSpec(s *PersistentVolumeClaimSpec) {
	if s.VolumeMode == nil {
		s.VolumeMode = Ptr("Filesystem")
	}
}

// DefaultService is SetDefaults_Service: type ClusterIP, sessionAffinity None, TCP ports,
// targetPort = port when unset.
func DefaultService(s *Service) {
	if s.Spec.Type == "" {
		s.Spec.Type = "ClusterIP"
	}
	if s.Spec.SessionAffinity == "" {
		s.Spec.SessionAffinity = "None"
	}
	for i := range s.Spec.Ports {
		p := &s.Spec.Ports[i]
		if p.Protocol == "" {
			p.Protocol = "TCP"
		}
		if p.TargetPort == (IntOrString{}) {
			p.TargetPort = FromInt(p.Port)
		}
	}
	if s.Spec.ClusterIP == ClusterIPNone && len(s.Spec.ClusterIPs) == 0 {
		s.Spec.ClusterIPs = []string{ClusterIPNone}
	}
	if s.Spec.Type == "ClusterIP" && s.Spec.InternalTrafficPolicy == nil {
		s.Spec.InternalTrafficPolicy = Ptr("Cluster")
	}
}

// DefaultPV is SetDefaults_PersistentVolume: reclaim policy Retain, volume mode Filesystem.
func DefaultPV(pv *PersistentVolume) {
	if pv.Spec.PersistentVolumeReclaimPolicy == "" {
		pv.Spec.PersistentVolumeReclaimPolicy = "Retain"
	}
	if pv.Spec.VolumeMode == nil {
		pv.Spec.VolumeMode = Ptr("Filesystem")
	}
	if pv.Status.Phase == "" {
		pv.Status.Phase = VolumePending
	}
}

// DefaultStorageClass is SetDefaults_StorageClass: reclaimPolicy Delete, binding Immediate.
func DefaultStorageClass(sc *StorageClass) {
	if sc.ReclaimPolicy == nil {
		sc.ReclaimPolicy = Ptr("Delete")
	}
	if sc.VolumeBindingMode == nil {
		sc.VolumeBindingMode = Ptr(VolumeBindingImmediate)
	}
}

// ValidateStatefulSet is ValidateStatefulSet/ValidateStatefulSetSpec (v1.37.2) for a create.
func ValidateStatefulSet(s *StatefulSet) ErrorList {
	var errs ErrorList
	sp := &s.Spec
	const f = "spec"
	switch sp.PodManagementPolicy {
	case "":
		errs = append(errs, Required(f+".podManagementPolicy", ""))
	case OrderedReadyPodManagement, ParallelPodManagement:
	default:
		errs = append(errs, Invalid(f+".podManagementPolicy", sp.PodManagementPolicy,
			fmt.Sprintf("must be '%s' or '%s'", OrderedReadyPodManagement, ParallelPodManagement)))
	}
	us := f + ".updateStrategy"
	switch sp.UpdateStrategy.Type {
	case "":
		errs = append(errs, Required(us, ""))
	case OnDeleteStatefulSet:
		if sp.UpdateStrategy.RollingUpdate != nil {
			errs = append(errs, Invalid(us+".rollingUpdate", sp.UpdateStrategy.RollingUpdate,
				fmt.Sprintf("only allowed for updateStrategy '%s'", RollingUpdateStatefulSet)))
		}
	case RollingUpdateStatefulSet:
		if ru := sp.UpdateStrategy.RollingUpdate; ru != nil {
			errs = append(errs, nonNegative(us+".rollingUpdate.partition", int64(Deref(ru.Partition, 0)))...)
			if mu := ru.MaxUnavailable; mu != nil {
				errs = append(errs, validateMaxUnavailable(us+".rollingUpdate.maxUnavailable", *mu)...)
			}
		}
	default:
		errs = append(errs, Invalid(us, sp.UpdateStrategy.Type,
			fmt.Sprintf("must be '%s' or '%s'", RollingUpdateStatefulSet, OnDeleteStatefulSet)))
	}
	if p := sp.PersistentVolumeClaimRetentionPolicy; p != nil {
		for _, x := range []struct{ path, v string }{{"whenDeleted", p.WhenDeleted}, {"whenScaled", p.WhenScaled}} {
			if x.v != RetainPVCRetentionPolicy && x.v != DeletePVCRetentionPolicy {
				errs = append(errs, NotSupported(f+".persistentVolumeClaimRetentionPolicy."+x.path, x.v,
					RetainPVCRetentionPolicy, DeletePVCRetentionPolicy))
			}
		}
	}
	errs = append(errs, nonNegative(f+".replicas", int64(Deref(sp.Replicas, 1)))...)
	errs = append(errs, nonNegative(f+".minReadySeconds", int64(sp.MinReadySeconds))...)
	if sp.Ordinals != nil {
		errs = append(errs, nonNegative(f+".ordinals.start", int64(sp.Ordinals.Start))...)
	}
	if sp.Selector == nil {
		errs = append(errs, Required(f+".selector", ""))
	} else {
		if sp.Selector.IsEmpty() {
			errs = append(errs, Invalid(f+".selector", sp.Selector, "empty selector is invalid for statefulset"))
		}
		if !sp.Selector.IsEmpty() && !sp.Selector.Matches(sp.Template.Labels) {
			errs = append(errs, Invalid(f+".template.metadata.labels", sp.Template.Labels, "`selector` does not match template `labels`"))
		}
	}
	if rp := sp.Template.Spec.RestartPolicy; rp != RestartAlways {
		errs = append(errs, NotSupported(f+".template.spec.restartPolicy", rp, RestartAlways))
	}
	if sp.Template.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, Forbidden(f+".template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in StatefulSet is not Supported"))
	}
	// ValidatePodTemplateSpecForStatefulSet validates the template's pod spec in full.
	errs = append(errs, ValidatePodTemplateSpec(f+".template", &sp.Template)...)
	for i := range sp.VolumeClaimTemplates {
		vct := &sp.VolumeClaimTemplates[i]
		p := fmt.Sprintf("%s.volumeClaimTemplates[%d]", f, i)
		if vct.Name == "" {
			errs = append(errs, Required(p+".metadata.name", "name or generateName is required"))
		}
		errs = append(errs, validatePVCSpec(&vct.Spec, p+".spec")...)
	}
	return errs
}

// validateMaxUnavailable is ValidateStatefulSetUpdateStrategy's check of
// rollingUpdate.maxUnavailable (pkg/apis/apps/validation): ValidatePositiveIntOrPercent, the
// same as a Deployment's, then "cannot be 0" and IsNotMoreThan100Percent.
func validateMaxUnavailable(path string, v IntOrString) ErrorList {
	if errs := validatePositiveIntOrPercent(path, &v); len(errs) > 0 {
		return errs
	}
	if intOrPercentValue(&v) == 0 {
		return ErrorList{Invalid(path, intOrStringValue(&v), "cannot be 0")}
	}
	if v.IsString && intOrPercentValue(&v) > 100 {
		return ErrorList{Invalid(path, &v, "must not be greater than 100%")}
	}
	return nil
}

var pvcAccessModes = []string{"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"}

func validateAccessModes(path string, modes []string) ErrorList {
	var errs ErrorList
	if len(modes) == 0 {
		errs = append(errs, Required(path, "at least 1 access mode is required"))
	}
	for _, m := range modes {
		ok := false
		for _, a := range pvcAccessModes {
			ok = ok || a == m
		}
		if !ok {
			errs = append(errs, NotSupported(path, m, pvcAccessModes...))
		}
	}
	return errs
}

func validatePVCSpec(s *PersistentVolumeClaimSpec, path string) ErrorList {
	errs := validateAccessModes(path+".accessModes", s.AccessModes)
	if q, ok := s.Resources.Requests["storage"]; !ok {
		errs = append(errs, Required(path+".resources[storage]", ""))
	} else if q.Milli <= 0 {
		errs = append(errs, Invalid(path+".resources[storage]", q.String(), "must be greater than zero"))
	}
	return errs
}

// ValidatePV checks a PersistentVolume's capacity, access modes and reclaim policy.
func ValidatePV(pv *PersistentVolume) ErrorList {
	errs := validateAccessModes("spec.accessModes", pv.Spec.AccessModes)
	if _, ok := pv.Spec.Capacity["storage"]; !ok {
		errs = append(errs, Required("spec.capacity", ""))
	}
	switch pv.Spec.PersistentVolumeReclaimPolicy {
	case "Retain", "Delete", "Recycle":
	default:
		errs = append(errs, NotSupported("spec.persistentVolumeReclaimPolicy", pv.Spec.PersistentVolumeReclaimPolicy, "Delete", "Recycle", "Retain"))
	}
	return errs
}

// ValidateStorageClass checks the provisioner, reclaim policy and binding mode.
func ValidateStorageClass(sc *StorageClass) ErrorList {
	var errs ErrorList
	if sc.Provisioner == "" {
		errs = append(errs, Required("provisioner", ""))
	}
	if p := Deref(sc.ReclaimPolicy, "Delete"); p != "Delete" && p != "Retain" {
		errs = append(errs, NotSupported("reclaimPolicy", p, "Delete", "Retain"))
	}
	if m := Deref(sc.VolumeBindingMode, VolumeBindingImmediate); m != VolumeBindingImmediate && m != VolumeBindingWaitForFirstConsumer {
		errs = append(errs, NotSupported("volumeBindingMode", m, VolumeBindingImmediate, VolumeBindingWaitForFirstConsumer))
	}
	return errs
}

// ValidateService checks the type, ports and clusterIP of a Service.
func ValidateService(s *Service) ErrorList {
	var errs ErrorList
	switch s.Spec.Type {
	case "ClusterIP", "NodePort", "LoadBalancer", "ExternalName":
	default:
		errs = append(errs, NotSupported("spec.type", s.Spec.Type, "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"))
	}
	if s.Spec.Type != "ExternalName" && len(s.Spec.Ports) == 0 && s.Spec.ClusterIP != ClusterIPNone {
		errs = append(errs, Required("spec.ports", ""))
	}
	if s.Spec.ClusterIP == ClusterIPNone && s.Spec.Type != "ClusterIP" {
		errs = append(errs, Invalid("spec.clusterIPs[0]", ClusterIPNone, "may not be set to 'None' for "+s.Spec.Type+" services"))
	}
	names := map[string]bool{}
	for i, p := range s.Spec.Ports {
		pp := fmt.Sprintf("spec.ports[%d]", i)
		if len(s.Spec.Ports) > 1 && p.Name == "" {
			errs = append(errs, Required(pp+".name", ""))
		}
		if p.Name != "" && names[p.Name] {
			errs = append(errs, &FieldError{Path: pp + ".name", Type: ErrTypeDuplicate, Value: p.Name, HasValue: true})
		}
		names[p.Name] = true
		if p.Port < 1 || p.Port > 65535 {
			errs = append(errs, Invalid(pp+".port", p.Port, "must be between 1 and 65535, inclusive"))
		}
		switch p.Protocol {
		case "TCP", "UDP", "SCTP":
		default:
			errs = append(errs, NotSupported(pp+".protocol", p.Protocol, "SCTP", "TCP", "UDP"))
		}
	}
	return errs
}

// ValidateEndpointSlice checks the address type.
func ValidateEndpointSlice(s *EndpointSlice) ErrorList {
	switch s.AddressType {
	case "IPv4", "IPv6", "FQDN":
		return nil
	}
	return ErrorList{NotSupported("addressType", s.AddressType, "FQDN", "IPv4", "IPv6")}
}
