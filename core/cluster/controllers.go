package cluster

import (
	"github.com/kubesim/kubesim/core/controllers/deployment"
	"github.com/kubesim/kubesim/core/controllers/disruption"
	"github.com/kubesim/kubesim/core/controllers/dns"
	"github.com/kubesim/kubesim/core/controllers/endpointslice"
	"github.com/kubesim/kubesim/core/controllers/gc"
	"github.com/kubesim/kubesim/core/controllers/hpa"
	"github.com/kubesim/kubesim/core/controllers/kubelet"
	"github.com/kubesim/kubesim/core/controllers/metrics"
	"github.com/kubesim/kubesim/core/controllers/nodeipam"
	"github.com/kubesim/kubesim/core/controllers/nodelifecycle"
	"github.com/kubesim/kubesim/core/controllers/replicaset"
	"github.com/kubesim/kubesim/core/controllers/scheduler"
	"github.com/kubesim/kubesim/core/controllers/statefulset"
	"github.com/kubesim/kubesim/core/controllers/volume"
	"github.com/kubesim/kubesim/core/kubectl"
	"github.com/kubesim/kubesim/core/sim"
)

// controllers returns every controller in the order the engine wakes them. Each controller
// package adds itself here, once.
func controllers() []sim.Controller {
	return []sim.Controller{
		gc.Controller{},
		scheduler.Controller{},
		kubelet.Controller{},
		nodelifecycle.Controller{},
		nodelifecycle.TaintEviction{},
		nodeipam.Controller{},
		replicaset.Controller{},
		deployment.Controller{},
		statefulset.Controller{},
		volume.Controller{},
		endpointslice.Controller{},
		dns.Controller{},
		metrics.Controller{},
		hpa.Controller{},
		disruption.Controller{},
		// Not a controller upstream: kubectl drain's goroutines, waiting in virtual time.
		kubectl.DrainController{},
	}
}
