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
