package main

import (
	"context"
	_ "unsafe" // go:linkname

	"k8s.io/kubernetes/pkg/controller/statefulset"
)

// The StatefulSet controller has no syncHandler field: its worker calls the method sync
// directly. The harness calls the same method (the work queue is replaced as for the other
// controllers); stsync.s lets this declaration have no body.

//go:linkname statefulSetSync k8s.io/kubernetes/pkg/controller/statefulset.(*StatefulSetController).sync
func statefulSetSync(ssc *statefulset.StatefulSetController, ctx context.Context, key string) error
