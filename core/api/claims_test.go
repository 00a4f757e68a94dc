package api

import (
	"reflect"
	"testing"
)

// TestUnreadyClaims: only persistentVolumeClaim volumes count; a missing, terminating or
// not-yet-Bound claim blocks the pod (pods.md §11), a Bound one does not.
func TestUnreadyClaims(t *testing.T) {
	now := Time(5000)
	claims := map[string]*PersistentVolumeClaim{
		"bound":    {Status: PersistentVolumeClaimStatus{Phase: ClaimBound}},
		"pending":  {Status: PersistentVolumeClaimStatus{Phase: ClaimPending}},
		"new":      {},
		"deleting": {ObjectMeta: ObjectMeta{DeletionTimestamp: &now}, Status: PersistentVolumeClaimStatus{Phase: ClaimBound}},
		"lost":     {Status: PersistentVolumeClaimStatus{Phase: ClaimLost}},
	}
	get := func(name string) *PersistentVolumeClaim { return claims[name] }
	vol := func(name, claim string) Volume {
		return Volume{Name: name, PersistentVolumeClaim: &PVCVolumeSource{ClaimName: claim}}
	}
	for _, tc := range []struct {
		name string
		vols []Volume
		want []string
	}{
		{"no volumes", nil, nil},
		{"emptyDir only", []Volume{{Name: "tmp", EmptyDir: &EmptyDirVolumeSource{}}}, nil},
		{"bound", []Volume{vol("www", "bound")}, nil},
		{"pending", []Volume{vol("www", "pending")}, []string{`www: persistentvolumeclaim "pending" is Pending`}},
		{"no phase yet", []Volume{vol("www", "new")}, []string{`www: persistentvolumeclaim "new" is Pending`}},
		{"missing", []Volume{vol("www", "nope")}, []string{`www: persistentvolumeclaim "nope" not found`}},
		{"deleting", []Volume{vol("www", "deleting")}, []string{`www: persistentvolumeclaim "deleting" is being deleted`}},
		{"lost and bound", []Volume{vol("a", "lost"), vol("b", "bound")}, []string{`a: persistentvolumeclaim "lost" is Lost`}},
	} {
		p := &Pod{Spec: PodSpec{Volumes: tc.vols}}
		if got := UnreadyClaims(p, get); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
