package main

import (
	"time"
	_ "unsafe" // go:linkname

	_ "k8s.io/kubernetes/pkg/controller/deployment"
	_ "k8s.io/kubernetes/pkg/controller/deployment/util"
)

// The Deployment controller reads the wall clock through two package variables (progress.go
// and util's DeploymentTimedOut take nowFn so that their tests can replace it); the
// harness points them at the virtual clock.

//go:linkname deploymentNowFn k8s.io/kubernetes/pkg/controller/deployment.nowFn
var deploymentNowFn func() time.Time

//go:linkname deploymentUtilNowFn k8s.io/kubernetes/pkg/controller/deployment/util.nowFn
var deploymentUtilNowFn func() time.Time

func setNowFns(now func() time.Time) {
	deploymentNowFn = now
	deploymentUtilNowFn = now
}
