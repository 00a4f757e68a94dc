package api

import (
	"strings"
	"testing"
)

func TestParseCIDR(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" means invalid
	}{
		{"10.244.0.0/24", "10.244.0.0/24"},
		{"10.244.1.5/24", "10.244.1.0/24"}, // sloppy: host bits set
		{"010.244.001.000/16", "10.244.0.0/16"},
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"10.244.0.0/33", ""},
		{"10.244.0.256/24", ""},
		{"10.244.0/24", ""},
		{"10.244.0.0", ""},
		{"10.244.0.0/", ""},
		{"10.244.0.-1/24", ""},
		{"fd00::/64", ""},
	} {
		c, ok := ParseCIDR(tc.in)
		if got := map[bool]string{true: c.String(), false: ""}[ok]; got != tc.want {
			t.Errorf("ParseCIDR(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	c, _ := ParseCIDR("10.244.3.0/28")
	if c.Network().String() != "10.244.3.0" || c.Broadcast().String() != "10.244.3.15" || !c.Contains(0x0af4030f) || c.Contains(0x0af40310) {
		t.Errorf("10.244.3.0/28: network %s broadcast %s", c.Network(), c.Broadcast())
	}
}

// podCIDR and podCIDRs are kept in step (podCIDRs wins), and validated as upstream's
// ValidateNode does, within kubesim's IPv4 cluster CIDR.
func TestNodePodCIDRs(t *testing.T) {
	n := &Node{ObjectMeta: ObjectMeta{Name: "n"}, Spec: NodeSpec{PodCIDR: "10.244.3.0/24"}}
	DefaultNode(n)
	if len(n.Spec.PodCIDRs) != 1 || n.Spec.PodCIDRs[0] != "10.244.3.0/24" {
		t.Errorf("podCIDR only: podCIDRs %v", n.Spec.PodCIDRs)
	}
	n.Spec.PodCIDR, n.Spec.PodCIDRs = "10.244.3.0/24", []string{"10.244.4.0/24"}
	DefaultNode(n)
	if n.Spec.PodCIDR != "10.244.4.0/24" {
		t.Errorf("podCIDRs wins: podCIDR %s", n.Spec.PodCIDR)
	}
	for _, tc := range []struct {
		cidrs []string
		want  string
	}{
		{[]string{"10.244.7.0/28"}, ""},
		{[]string{"10.244.0.0/16"}, ""},
		{[]string{"10.244.0.0"}, `spec.podCIDRs[0]: Invalid value: "10.244.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`},
		{[]string{"fd00:10:244::/64"}, `spec.podCIDRs[0]: Invalid value: "fd00:10:244::/64": must be an IPv4 CIDR (kubesim limit: the simulated cluster is IPv4 single-stack)`},
		{[]string{"10.10.0.0/24"}, `spec.podCIDRs[0]: Invalid value: "10.10.0.0/24": must be inside the cluster CIDR 10.244.0.0/16 (kubesim limit: kube-controller-manager runs with --cluster-cidr=10.244.0.0/16 and does not start with a node outside it)`},
		{[]string{"10.0.0.0/8"}, `spec.podCIDRs[0]: Invalid value: "10.0.0.0/8": must be inside the cluster CIDR`},
		{[]string{"10.244.1.0/24", "10.244.2.0/24"}, `spec.podCIDRs: Invalid value: ["10.244.1.0/24","10.244.2.0/24"]: may specify no more than one CIDR for each IP family`},
	} {
		n := &Node{TypeMeta: TypeMeta{APIVersion: "v1", Kind: "Node"}, ObjectMeta: ObjectMeta{Name: "n"}, Spec: NodeSpec{PodCIDRs: tc.cidrs}}
		DefaultNode(n)
		var msgs []string
		for _, e := range Validate(n) {
			msgs = append(msgs, e.Error())
		}
		got := strings.Join(msgs, "; ")
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("podCIDRs %v: %q; want %q", tc.cidrs, got, tc.want)
		}
	}
}
