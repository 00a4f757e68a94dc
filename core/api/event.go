package api

// Event is core/v1 Event as the simulator records it. Count and the first/last timestamps
// follow the event recorder's aggregation of identical events ("(x3 over 40s)").
type Event struct {
	TypeMeta       `json:",inline"`
	ObjectMeta     `json:"metadata"`
	InvolvedObject ObjectReference `json:"involvedObject"`
	// FieldPath is involvedObject.fieldPath, e.g. "spec.containers{app}".
	FieldPath      string `json:"fieldPath,omitempty"`
	Reason         string `json:"reason"`
	Message        string `json:"message"`
	Type           string `json:"type"`
	Source         string `json:"source,omitempty"`
	Count          int32  `json:"count"`
	FirstTimestamp Time   `json:"firstTimestamp"`
	LastTimestamp  Time   `json:"lastTimestamp"`
}

// Event types.
const (
	EventNormal  = "Normal"
	EventWarning = "Warning"
)
