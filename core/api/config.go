package api

// ClusterConfig is the scenario's description of how the simulated world behaves: how each
// image's fake container acts. The scenario loader stores it as the single object
// "cluster" of this hidden kind, so controllers read it from the store and snapshots carry it.
type ClusterConfig struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata"`
	// Images maps an image reference ("web:1.0") to its behaviour. Images not listed behave
	// like DefaultImage unless they are unknown (see ImageBehavior.Missing).
	Images map[string]ImageBehavior `json:"images,omitempty"`
	// DefaultImage is the behaviour of images that are not listed.
	DefaultImage ImageBehavior `json:"defaultImage,omitempty"`
}

// ClusterConfigKind is the hidden kind of the single ClusterConfig object, named "cluster".
const ClusterConfigKind = "ClusterConfig"

// ImageBehavior describes how a fake container built from an image behaves. Times are
// measured from the moment the container starts unless a field says otherwise.
type ImageBehavior struct {
	// Pull is how long pulling the image takes.
	Pull Duration `json:"pull,omitempty"`
	// Missing makes every pull fail: the image does not exist (ErrImagePull, ImagePullBackOff).
	Missing bool `json:"missing,omitempty"`
	// Start is how long the process needs before it listens: HTTP and TCP probes fail before.
	Start Duration `json:"start,omitempty"`
	// ExitAfter makes the process exit by itself this long after it started.
	ExitAfter *Duration `json:"exitAfter,omitempty"`
	// ExitCode is the exit code when the process exits by itself (ExitAfter).
	ExitCode int32 `json:"exitCode,omitempty"`
	// UnhealthyAfter makes every probe fail from this long after start on.
	UnhealthyAfter *Duration `json:"unhealthyAfter,omitempty"`
	// StopAfter is how long the process takes to exit after SIGTERM (default 0: at once).
	StopAfter Duration `json:"stopAfter,omitempty"`
}
