// Package kubelet is the kubelet of every node plus the container runtime it drives, in
// virtual time: one controller keyed by pod. For a pod bound to a live node it creates the
// sandbox once the node has its podCIDR and the pod's volumes are mounted (the pod IP comes
// from the node's podCIDR through the CNI's host-local IPAM and is freed when the sandbox
// goes: network.go), pulls images (Pulling/Pulled, ErrImagePull, ImagePullBackOff with the
// 10 s doubling window), runs init containers one by one and native sidecars, starts the
// containers (Created/Started), runs startup, liveness and readiness
// probes on their period ticks (pods.md §1.5), restarts exited or probe-killed containers with
// the CrashLoopBackOff back-off of pods.md §2.3 (10 s doubling to 300 s, reset after 10 min),
// terminates deleted pods gracefully (preStop, SIGTERM, SIGKILL at the end of the grace
// period, sidecars last) and finally removes the pod object. It writes phase, conditions and
// container statuses as the real kubelet does (pods.md §3). With a memory usage model it also
// OOM-kills containers that reach their memory limit and runs each node's eviction manager
// (eviction.go: memory.available<100Mi, MemoryPressure, one eviction per synchronize).
//
// Container behaviour comes from the scenario's images (api.ImageBehavior). All bookkeeping
// lives in hidden store kinds (PodRuntime, NodeRuntime, KubeletMachines, HostLocalIPAM) and
// every future transition is a timer (ctx.EnqueueAt), so snapshots are exact and nothing
// polls. A node
// annotated kubesim.dev/failed="true" has a dead kubelet: nothing on it progresses.
//
// References (v1.37.2): pkg/kubelet/kubelet.go, pkg/kubelet/prober/worker.go,
// prober_manager.go, kuberuntime/kuberuntime_manager.go, kuberuntime_container.go,
// images/image_manager.go, kubelet_pods.go, status/generate.go.
//
// # Usage
//
//	engine.Register(kubelet.Controller{})
package kubelet
