package api

import (
	"strings"
	"testing"
)

type fakePCs map[string]*PriorityClass

func (f fakePCs) Get(kind, key string) Object {
	if pc, ok := f[key]; ok {
		return pc
	}
	return nil
}

func (f fakePCs) List(kind, ns string) []Object {
	var out []Object
	for _, k := range SortedKeys(f) {
		out = append(out, f[k])
	}
	return out
}

// Cases after pkg/apis/scheduling/validation/validation_test.go TestValidatePriorityClass.
func TestValidatePriorityClass(t *testing.T) {
	for _, c := range []struct {
		pc   PriorityClass
		want string
	}{
		{PriorityClass{ObjectMeta: ObjectMeta{Name: "tier1"}, Value: 100}, ""},
		{PriorityClass{ObjectMeta: ObjectMeta{Name: "tier1"}, Value: -100, PreemptionPolicy: Ptr(PreemptNever)}, ""},
		{PriorityClass{ObjectMeta: ObjectMeta{Name: SystemNodeCritical}, Value: SystemCriticalPriority + 1000}, ""},
		{PriorityClass{ObjectMeta: ObjectMeta{Name: "tier1"}, Value: HighestUserDefinablePriority + 1},
			"value: Forbidden: maximum allowed value of a user defined priority is 1000000000"},
		{PriorityClass{ObjectMeta: ObjectMeta{Name: SystemClusterCritical}, Value: 1},
			"metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000"},
		{PriorityClass{ObjectMeta: ObjectMeta{Name: "system-x"}, Value: 1},
			"metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-x is not a known system priority class"},
		{PriorityClass{ObjectMeta: ObjectMeta{Name: "tier1"}, Value: 1, PreemptionPolicy: Ptr("Sometimes")},
			`preemptionPolicy: Unsupported value: "Sometimes": supported values: "Never", "PreemptLowerPriority"`},
		{PriorityClass{ObjectMeta: ObjectMeta{Name: "Tier1"}, Value: 1}, "metadata.name: Invalid value"},
	} {
		errs := ValidatePriorityClass(&c.pc)
		got := ""
		if len(errs) > 0 {
			got = errs[0].Error()
		}
		if (c.want == "" && got != "") || !strings.HasPrefix(got, c.want) {
			t.Errorf("%s/%d: got %q, want %q", c.pc.Name, c.pc.Value, got, c.want)
		}
	}
	old := &PriorityClass{ObjectMeta: ObjectMeta{Name: "tier1"}, Value: 1}
	if errs := ValidatePriorityClassUpdate(&PriorityClass{ObjectMeta: ObjectMeta{Name: "tier1"}, Value: 2}, old); len(errs) != 1 || errs[0].Error() != "value: Forbidden: may not be changed in an update." {
		t.Errorf("value update: %v", errs)
	}
}

// Cases after plugin/pkg/admission/priority/admission_test.go TestPodAdmission.
func TestAdmitPodPriority(t *testing.T) {
	classes := fakePCs{
		"high":    {ObjectMeta: ObjectMeta{Name: "high"}, Value: 1000},
		"nopre":   {ObjectMeta: ObjectMeta{Name: "nopre"}, Value: 500, PreemptionPolicy: Ptr(PreemptNever)},
		"default": {ObjectMeta: ObjectMeta{Name: "default"}, Value: 10, GlobalDefault: true},
	}
	noDefault := fakePCs{"high": classes["high"]}
	for _, c := range []struct {
		name      string
		st        fakePCs
		spec      PodSpec
		priority  int32
		policy    string
		className string
		err       string
	}{
		{"no class, no default", noDefault, PodSpec{}, 0, PreemptLowerPriority, "", ""},
		{"no class, global default", classes, PodSpec{}, 10, PreemptLowerPriority, "default", ""},
		{"class", classes, PodSpec{PriorityClassName: "high"}, 1000, PreemptLowerPriority, "high", ""},
		{"class with Never", classes, PodSpec{PriorityClassName: "nopre"}, 500, PreemptNever, "nopre", ""},
		{"system class", noDefault, PodSpec{PriorityClassName: SystemNodeCritical}, SystemCriticalPriority + 1000, PreemptLowerPriority, SystemNodeCritical, ""},
		{"unknown class", classes, PodSpec{PriorityClassName: "gold"}, 0, "", "", "no PriorityClass with name gold was found"},
		{"priority given", classes, PodSpec{PriorityClassName: "high", Priority: Ptr(int32(5))}, 0, "", "",
			"the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name"},
		{"same priority given", classes, PodSpec{PriorityClassName: "high", Priority: Ptr(int32(1000))}, 1000, PreemptLowerPriority, "high", ""},
		{"policy given", classes, PodSpec{PriorityClassName: "high", PreemptionPolicy: Ptr(PreemptNever)}, 0, "", "",
			"the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name"},
	} {
		p := &Pod{Spec: c.spec}
		err := AdmitPodPriority(c.st, p)
		if err != c.err {
			t.Errorf("%s: error %q, want %q", c.name, err, c.err)
			continue
		}
		if err != "" {
			continue
		}
		if PodPriority(p) != c.priority || *p.Spec.PreemptionPolicy != c.policy || p.Spec.PriorityClassName != c.className {
			t.Errorf("%s: got %d %s %q, want %d %s %q", c.name, PodPriority(p), *p.Spec.PreemptionPolicy, p.Spec.PriorityClassName, c.priority, c.policy, c.className)
		}
	}
	if msg := AdmitPriorityClass(classes, &PriorityClass{ObjectMeta: ObjectMeta{Name: "other"}, GlobalDefault: true}, false); msg != "PriorityClass default is already marked as default. Only one default can exist" {
		t.Errorf("second default: %q", msg)
	}
	if msg := AdmitPriorityClass(classes, &PriorityClass{ObjectMeta: ObjectMeta{Name: "default"}, GlobalDefault: true}, true); msg != "" {
		t.Errorf("updating the default: %q", msg)
	}
}
