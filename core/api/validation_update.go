package api

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Update validation: what the API server checks when an existing object is replaced (a PUT
// or PATCH from kubectl), on top of the create validation of the new object. Sources
// (v1.37.2): apimachinery pkg/api/validation ValidateObjectMetaUpdate; pkg/registry/apps/
// deployment/strategy.go and replicaset/strategy.go ValidateUpdate (the selector is
// immutable in apps/v1); pkg/apis/apps/validation ValidateStatefulSetUpdate;
// pkg/apis/core/validation ValidatePodUpdate and validateOnlyAddedTolerations.

const immutableMsg = "field is immutable"

var updateValidators = map[string][]func(newObj, oldObj Object) ErrorList{}

// RegisterUpdateValidation adds an update check for kind (like ValidateXUpdate upstream).
func RegisterUpdateValidation(kind string, fn func(newObj, oldObj Object) ErrorList) {
	updateValidators[kind] = append(updateValidators[kind], fn)
}

func init() {
	RegisterUpdateValidation("Deployment", func(n, o Object) ErrorList {
		return validateSelectorUpdate(n.(*Deployment).Spec.Selector, o.(*Deployment).Spec.Selector)
	})
	RegisterUpdateValidation("ReplicaSet", func(n, o Object) ErrorList {
		return validateSelectorUpdate(n.(*ReplicaSet).Spec.Selector, o.(*ReplicaSet).Spec.Selector)
	})
	RegisterUpdateValidation("StatefulSet", func(n, o Object) ErrorList {
		return ValidateStatefulSetUpdate(n.(*StatefulSet), o.(*StatefulSet))
	})
	RegisterUpdateValidation("Pod", func(n, o Object) ErrorList { return ValidatePodUpdate(n.(*Pod), o.(*Pod)) })
	RegisterUpdateValidation("Node", func(n, o Object) ErrorList { return validateNodeUpdate(n.(*Node), o.(*Node)) })
}

// validateNodeUpdate: once the node IPAM controller (or the manifest) has set the podCIDRs,
// they never change (pkg/apis/core/validation ValidateNodeUpdate: "Allow the controller
// manager to assign a CIDR to a node if it doesn't have one").
func validateNodeUpdate(n, o *Node) ErrorList {
	if len(o.Spec.PodCIDRs) > 0 && !slices.Equal(n.Spec.PodCIDRs, o.Spec.PodCIDRs) {
		return ErrorList{Forbidden("spec.podCIDRs", `node updates may not change podCIDR except from "" to valid`)}
	}
	return nil
}

// ValidateUpdate checks newObj, a defaulted replacement of the stored oldObj, as the API
// server does on update: the create validation of newObj, then the immutable metadata and
// the kind's update rules.
func ValidateUpdate(newObj, oldObj Object) ErrorList {
	errs := Validate(newObj)
	n, o := newObj.Meta(), oldObj.Meta()
	if n.Name != o.Name {
		errs = append(errs, Invalid("metadata.name", n.Name, immutableMsg))
	}
	if n.Namespace != o.Namespace {
		errs = append(errs, Invalid("metadata.namespace", n.Namespace, immutableMsg))
	}
	for _, fn := range updateValidators[newObj.GetKind()] {
		errs = append(errs, fn(newObj, oldObj)...)
	}
	return errs
}

// semanticEqual compares two API values the way apimachinery's Semantic.DeepEqual does for
// the fields kubesim models: by their serialized form, so nil and empty lists or maps are
// equal and quantities compare by value.
func semanticEqual(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(x) == string(y)
}

func validateSelectorUpdate(n, o *LabelSelector) ErrorList {
	if !semanticEqual(n, o) {
		return ErrorList{Invalid("spec.selector", n, immutableMsg)}
	}
	return nil
}

// podUpdateMsg is ValidatePodUpdate's refusal of any other spec change. Upstream appends a
// diff of the two specs on the following lines; kubesim prints the sentence alone.
const podUpdateMsg = "pod updates may not change fields other than `spec.containers[*].image`," +
	"`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations)," +
	"`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

// ValidatePodUpdate checks what a pod update may change in the spec: container images,
// activeDeadlineSeconds (set, or lowered), tolerations (added, or tolerationSeconds changed)
// and terminationGracePeriodSeconds from negative to 1. Everything else is fixed at creation.
func ValidatePodUpdate(newPod, oldPod *Pod) ErrorList {
	var errs ErrorList
	if n := newPod.Spec.ActiveDeadlineSeconds; n != nil {
		if o := oldPod.Spec.ActiveDeadlineSeconds; o != nil && *o < *n {
			errs = append(errs, Invalid("spec.activeDeadlineSeconds", *n, "must be less than or equal to previous value"))
		}
	} else if oldPod.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, Invalid("spec.activeDeadlineSeconds", nil, "must not update from a positive integer to nil value"))
	}
	errs = append(errs, validateOnlyAddedTolerations(newPod.Spec.Tolerations, oldPod.Spec.Tolerations)...)
	// Compare the specs with the mutable fields taken from the old pod.
	munged := newPod.Spec
	munged.Containers = withImagesOf(newPod.Spec.Containers, oldPod.Spec.Containers)
	munged.InitContainers = withImagesOf(newPod.Spec.InitContainers, oldPod.Spec.InitContainers)
	munged.ActiveDeadlineSeconds = oldPod.Spec.ActiveDeadlineSeconds
	munged.Tolerations = oldPod.Spec.Tolerations
	if g, og := munged.TerminationGracePeriodSeconds, oldPod.Spec.TerminationGracePeriodSeconds; g != nil && *g == 1 && og != nil && *og < 0 {
		munged.TerminationGracePeriodSeconds = og
	}
	if !semanticEqual(&munged, &oldPod.Spec) {
		errs = append(errs, Forbidden("spec", podUpdateMsg))
	}
	return errs
}

// withImagesOf returns cs with each container's image replaced by old's at the same index (cs
// itself when the lists differ in length: that change is refused anyway).
func withImagesOf(cs, old []Container) []Container {
	if len(cs) != len(old) {
		return cs
	}
	out := make([]Container, len(cs))
	for i := range cs {
		out[i] = cs[i]
		out[i].Image = old[i].Image
	}
	return out
}

// validateOnlyAddedTolerations: every old toleration must still be there, with only its
// tolerationSeconds changed.
func validateOnlyAddedTolerations(newTs, oldTs []Toleration) ErrorList {
	for _, o := range oldTs {
		found := false
		for _, n := range newTs {
			o.TolerationSeconds = n.TolerationSeconds
			if semanticEqual(o, n) {
				found = true
				break
			}
		}
		if !found {
			return ErrorList{Forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")}
		}
	}
	return nil
}

// ValidateStatefulSetUpdate is the v1.37.2 update check: selector, volumeClaimTemplates,
// serviceName and podManagementPolicy are immutable (workloads.md §0.2).
func ValidateStatefulSetUpdate(newS, oldS *StatefulSet) ErrorList {
	var errs ErrorList
	if !semanticEqual(newS.Spec.Selector, oldS.Spec.Selector) {
		errs = append(errs, Invalid("spec.selector", newS.Spec.Selector, immutableMsg))
	}
	if newS.Spec.ServiceName != oldS.Spec.ServiceName {
		errs = append(errs, Invalid("spec.serviceName", newS.Spec.ServiceName, immutableMsg))
	}
	if newS.Spec.PodManagementPolicy != oldS.Spec.PodManagementPolicy {
		errs = append(errs, Invalid("spec.podManagementPolicy", newS.Spec.PodManagementPolicy, immutableMsg))
	}
	if fmt.Sprint(claimNames(newS)) != fmt.Sprint(claimNames(oldS)) {
		errs = append(errs, Forbidden("spec.volumeClaimTemplates", immutableMsg))
	}
	return errs
}

func claimNames(s *StatefulSet) []string {
	var out []string
	for _, c := range s.Spec.VolumeClaimTemplates {
		out = append(out, c.Name)
	}
	return out
}
