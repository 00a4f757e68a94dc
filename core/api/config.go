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
	// Loads are the request streams sent to Services and workloads (scenario `load:` and
	// timeline `load` steps), at most one per target.
	Loads []Load `json:"loads,omitempty"`
	// MetricsServer says the cluster runs metrics-server (and so serves the Metrics API):
	// the scenario parser sets it when the scenario describes resource usage or load.
	MetricsServer bool `json:"metricsServer,omitempty"`
	// ClusterCIDR is kube-controller-manager's --cluster-cidr (scenario `clusterCIDR`; empty:
	// the default ClusterCIDR, a /16 that gives 256 nodes a /24 podCIDR each).
	ClusterCIDR string `json:"clusterCIDR,omitempty"`
	// Seed is the run's seed, for the usage model's noise.
	Seed uint64 `json:"seed,omitempty"`
}

// ClusterConfigKind is the hidden kind of the single ClusterConfig object, named "cluster".
const ClusterConfigKind = "ClusterConfig"

// ImageBehavior describes how a fake container built from an image behaves. Durations are
// measured from the moment the container (this instance of it) started unless a field says
// otherwise; fields ending in "At" are absolute scenario times, so they also hold for
// restarted instances ("the app breaks at t=60 and stays broken").
//
// A probe of the container succeeds at time t iff the process listens (t >= start + Start),
// the app is healthy by the relative fields (t >= start + HealthyAfter and, when set,
// t < start + UnhealthyAfter) and by the absolute ones (t >= HealthyAt, t < UnhealthyAt), and,
// when Probes has an entry for the probe, by that entry's fields too.
type ImageBehavior struct {
	// Pull is how long pulling the image takes.
	Pull Duration `json:"pull,omitempty"`
	// Missing makes every pull fail: the image does not exist (ErrImagePull, ImagePullBackOff).
	Missing bool `json:"missing,omitempty"`
	// Size is the image size in bytes, shown in the Pulled event (default 26214400, 25 MiB).
	Size int64 `json:"size,omitempty"`
	// Preloaded says the image is already present on every node at t=0, so a pod with
	// imagePullPolicy IfNotPresent gets "Container image ... already present on machine".
	Preloaded bool `json:"preloaded,omitempty"`
	// Start is how long the process needs before it listens: HTTP and TCP probes fail with
	// "connection refused" before.
	Start Duration `json:"start,omitempty"`
	// HealthyAfter makes probes fail (HTTP 500, exec exit 1) until this long after start.
	HealthyAfter Duration `json:"healthyAfter,omitempty"`
	// UnhealthyAfter makes every probe fail from this long after start on.
	UnhealthyAfter *Duration `json:"unhealthyAfter,omitempty"`
	// HealthyAt makes probes fail before this scenario time (written as the time since the
	// scenario started, "60s"), in every instance.
	HealthyAt *Duration `json:"healthyAt,omitempty"`
	// UnhealthyAt makes probes fail from this scenario time on, in every instance.
	UnhealthyAt *Duration `json:"unhealthyAt,omitempty"`
	// Probes refines the health of single probe targets, keyed by the HTTP path ("/healthz"),
	// "tcp:PORT" or "exec:" followed by the command words joined by spaces.
	Probes map[string]ProbeBehavior `json:"probes,omitempty"`
	// ExitAfter makes the process exit by itself this long after it started (0: at once).
	ExitAfter *Duration `json:"exitAfter,omitempty"`
	// ExitCode is the exit code when the process exits by itself (ExitAfter).
	ExitCode int32 `json:"exitCode,omitempty"`
	// StopAfter is how long the process takes to exit after SIGTERM (default 0: at once). If
	// it is longer than the grace period left, the runtime sends SIGKILL (exit code 137).
	StopAfter Duration `json:"stopAfter,omitempty"`
	// SigtermExitCode is the exit code after SIGTERM (default 143, a process killed by the
	// signal; set 0 for an app that shuts down cleanly: STATUS Completed instead of Error).
	SigtermExitCode *int32 `json:"sigtermExitCode,omitempty"`
	// PreStop is how long an exec or httpGet preStop hook runs (a sleep hook takes its own
	// seconds). A hook longer than the grace period is abandoned when the grace runs out.
	PreStop Duration `json:"preStop,omitempty"`
	// CPU and Memory are the container's own resource use over its life (see Usage).
	CPU    *Usage `json:"cpu,omitempty"`
	Memory *Usage `json:"memory,omitempty"`
	// CPUPerRequest is the CPU one request per second costs the container, on top of CPU.
	CPUPerRequest *Quantity `json:"cpuPerRequest,omitempty"`
}

// ProbeBehavior is the health of one probe target, with the same meaning as the
// ImageBehavior fields of the same names; unset fields impose nothing.
type ProbeBehavior struct {
	HealthyAfter   Duration  `json:"healthyAfter,omitempty"`
	UnhealthyAfter *Duration `json:"unhealthyAfter,omitempty"`
	HealthyAt      *Duration `json:"healthyAt,omitempty"`
	UnhealthyAt    *Duration `json:"unhealthyAt,omitempty"`
}

// DefaultImageSize is the image size printed when a behaviour gives none.
const DefaultImageSize int64 = 26214400

// Behavior returns the behaviour of image: its entry in Images, else DefaultImage.
func (c *ClusterConfig) Behavior(image string) ImageBehavior {
	if c == nil {
		return ImageBehavior{}
	}
	if b, ok := c.Images[image]; ok {
		return b
	}
	return c.DefaultImage
}

// Healthy reports whether a probe with target key (see ImageBehavior.Probes) succeeds at now
// for an instance that started at start, given that the process listens.
func (b *ImageBehavior) Healthy(key string, start, now Time) bool {
	if !healthyWindow(b.HealthyAfter, b.UnhealthyAfter, b.HealthyAt, b.UnhealthyAt, start, now) {
		return false
	}
	if pb, ok := b.Probes[key]; ok {
		return healthyWindow(pb.HealthyAfter, pb.UnhealthyAfter, pb.HealthyAt, pb.UnhealthyAt, start, now)
	}
	return true
}

func healthyWindow(after Duration, unhealthyAfter, at, unhealthyAt *Duration, start, now Time) bool {
	if now < start.Add(after) {
		return false
	}
	if unhealthyAfter != nil && now >= start.Add(*unhealthyAfter) {
		return false
	}
	if at != nil && now < Time(*at) {
		return false
	}
	if unhealthyAt != nil && now >= Time(*unhealthyAt) {
		return false
	}
	return true
}
