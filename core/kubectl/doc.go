// Package kubectl runs kubectl command lines against the simulated cluster and prints what
// the real kubectl prints. Scenario timelines, the CLI and the page's console all go through
// Run.
//
// Commands register themselves (Register) from the file that implements them, one file per
// command family: get.go, delete.go, rollout.go, scale.go, ... Every command that changes an
// object writes through createObject or updateObject (write.go), which validate it and apply
// kubesim's limits like the API server would before anything reaches the store.
package kubectl
