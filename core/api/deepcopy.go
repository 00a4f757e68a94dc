package api

// Hand-written deep copies of the structs every controller write copies. They are checked
// against Clone, field by field, by TestHandWrittenCopiesAreDeep, which fills every field
// through reflection: a field added to these types without being copied here fails it.

// DeepCopy returns a deep copy of m.
func (m *ObjectMeta) DeepCopy() ObjectMeta {
	out := *m
	if m.DeletionTimestamp != nil {
		out.DeletionTimestamp = Ptr(*m.DeletionTimestamp)
	}
	if m.DeletionGracePeriodSeconds != nil {
		out.DeletionGracePeriodSeconds = Ptr(*m.DeletionGracePeriodSeconds)
	}
	out.Labels = copyStringMap(m.Labels)
	out.Annotations = copyStringMap(m.Annotations)
	if m.OwnerReferences != nil {
		out.OwnerReferences = make([]OwnerReference, len(m.OwnerReferences))
		for i, r := range m.OwnerReferences {
			if r.Controller != nil {
				r.Controller = Ptr(*r.Controller)
			}
			if r.BlockOwnerDeletion != nil {
				r.BlockOwnerDeletion = Ptr(*r.BlockOwnerDeletion)
			}
			out.OwnerReferences[i] = r
		}
	}
	if m.Finalizers != nil {
		out.Finalizers = append([]string(nil), m.Finalizers...)
	}
	return out
}

// DeepCopy returns a deep copy of s.
func (s *PodStatus) DeepCopy() PodStatus {
	out := *s
	if s.Conditions != nil {
		out.Conditions = append([]PodCondition(nil), s.Conditions...)
	}
	if s.StartTime != nil {
		out.StartTime = Ptr(*s.StartTime)
	}
	out.InitContainerStatuses = copyContainerStatuses(s.InitContainerStatuses)
	out.ContainerStatuses = copyContainerStatuses(s.ContainerStatuses)
	return out
}

func copyContainerStatuses(in []ContainerStatus) []ContainerStatus {
	if in == nil {
		return nil
	}
	out := make([]ContainerStatus, len(in))
	for i, c := range in {
		c.State = c.State.deepCopy()
		c.LastTerminationState = c.LastTerminationState.deepCopy()
		if c.Started != nil {
			c.Started = Ptr(*c.Started)
		}
		c.AllocatedResources = c.AllocatedResources.DeepCopy()
		if c.Resources != nil {
			c.Resources = Ptr(c.Resources.DeepCopy())
		}
		out[i] = c
	}
	return out
}

func (s ContainerState) deepCopy() ContainerState {
	if s.Waiting != nil {
		s.Waiting = Ptr(*s.Waiting)
	}
	if s.Running != nil {
		s.Running = Ptr(*s.Running)
	}
	if s.Terminated != nil {
		s.Terminated = Ptr(*s.Terminated)
	}
	return s
}

func copyStringMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// DeepCopy returns a copy of l (nil stays nil).
func (l ResourceList) DeepCopy() ResourceList {
	if l == nil {
		return nil
	}
	out := make(ResourceList, len(l))
	for k, v := range l {
		out[k] = v
	}
	return out
}

// DeepCopy returns a deep copy of r.
func (r *ResourceRequirements) DeepCopy() ResourceRequirements {
	return ResourceRequirements{Requests: r.Requests.DeepCopy(), Limits: r.Limits.DeepCopy()}
}

// Equal reports whether s and o are equal as reflect.DeepEqual would say (a nil and an empty
// list or map differ), without reflection: the kubelet compares a pod's status before and
// after every sync. TestPodStatusEqualIsDeepEqual checks it against reflect.DeepEqual field
// by field.
func (s *PodStatus) Equal(o *PodStatus) bool {
	if s.Phase != o.Phase || s.Message != o.Message || s.Reason != o.Reason || s.HostIP != o.HostIP ||
		s.PodIP != o.PodIP || s.QOSClass != o.QOSClass || s.NominatedNodeName != o.NominatedNodeName ||
		!ptrEqual(s.StartTime, o.StartTime) || !sliceEqual(s.Conditions, o.Conditions, func(a, b *PodCondition) bool { return *a == *b }) {
		return false
	}
	return sliceEqual(s.InitContainerStatuses, o.InitContainerStatuses, containerStatusEqual) &&
		sliceEqual(s.ContainerStatuses, o.ContainerStatuses, containerStatusEqual)
}

func containerStatusEqual(a, b *ContainerStatus) bool {
	return a.Name == b.Name && a.Ready == b.Ready && a.RestartCount == b.RestartCount && a.Image == b.Image &&
		a.ImageID == b.ImageID &&
		a.ContainerID == b.ContainerID && ptrEqual(a.Started, b.Started) &&
		a.State.equal(&b.State) && a.LastTerminationState.equal(&b.LastTerminationState) &&
		a.AllocatedResources.equal(b.AllocatedResources) &&
		(a.Resources == nil) == (b.Resources == nil) && (a.Resources == nil || a.Resources.Requests.equal(b.Resources.Requests) && a.Resources.Limits.equal(b.Resources.Limits))
}

func (s *ContainerState) equal(o *ContainerState) bool {
	return ptrEqual(s.Waiting, o.Waiting) && ptrEqual(s.Running, o.Running) && ptrEqual(s.Terminated, o.Terminated)
}

// equal is reflect.DeepEqual for resource lists: nil differs from empty.
func (l ResourceList) equal(o ResourceList) bool {
	if (l == nil) != (o == nil) || len(l) != len(o) {
		return false
	}
	for k, v := range l {
		if w, ok := o[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func ptrEqual[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// sliceEqual is reflect.DeepEqual for slices: nil differs from empty.
func sliceEqual[T any](a, b []T, eq func(x, y *T) bool) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		if !eq(&a[i], &b[i]) {
			return false
		}
	}
	return true
}
