package endpointslice

import (
	"reflect"
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// TestEndpointsEqualIsDeepEqual: endpointsEqual answers as reflect.DeepEqual does, nil and
// empty lists and nil pointers included.
func TestEndpointsEqualIsDeepEqual(t *testing.T) {
	ep := func(f func(*api.Endpoint)) api.Endpoint {
		e := api.Endpoint{Addresses: []string{"10.0.0.1"}, Conditions: api.EndpointConditions{Ready: api.Ptr(true), Serving: api.Ptr(true), Terminating: api.Ptr(false)},
			TargetRef: &api.ObjectReference{Kind: "Pod", Namespace: "default", Name: "web-0", UID: "u"}, NodeName: api.Ptr("n1"), Zone: api.Ptr("z")}
		if f != nil {
			f(&e)
		}
		return e
	}
	variants := [][]api.Endpoint{nil, {}, {ep(nil)}, {ep(nil), ep(nil)},
		{ep(func(e *api.Endpoint) { e.Addresses = nil })}, {ep(func(e *api.Endpoint) { e.Addresses = []string{} })},
		{ep(func(e *api.Endpoint) { e.Addresses = []string{"10.0.0.2"} })},
		{ep(func(e *api.Endpoint) { e.Conditions.Ready = api.Ptr(false) })}, {ep(func(e *api.Endpoint) { e.Conditions.Ready = nil })},
		{ep(func(e *api.Endpoint) { e.Conditions.Serving = nil })}, {ep(func(e *api.Endpoint) { e.Conditions.Terminating = api.Ptr(true) })},
		{ep(func(e *api.Endpoint) { e.Hostname = api.Ptr("web-0") })}, {ep(func(e *api.Endpoint) { e.TargetRef = nil })},
		{ep(func(e *api.Endpoint) { e.TargetRef.UID = "v" })}, {ep(func(e *api.Endpoint) { e.NodeName = nil })},
		{ep(func(e *api.Endpoint) { e.Zone = api.Ptr("y") })}}
	for i, a := range variants {
		for j, b := range variants {
			// Compare with copies too, so equal contents behind different pointers count.
			b2 := api.Clone(&api.EndpointSlice{Endpoints: b}).Endpoints
			for _, bb := range [][]api.Endpoint{b, b2} {
				if got, want := endpointsEqual(a, bb), reflect.DeepEqual(a, bb); got != want {
					t.Errorf("variants %d, %d: endpointsEqual %v, DeepEqual %v", i, j, got, want)
				}
			}
		}
	}
}
