package cluster

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/core/store"
)

// The default --cluster-cidr (10.244.0.0/16) holds 256 node /24s, so node 257 of a bigger
// cluster gets no podCIDR (CIDRNotAvailable, as upstream); a scenario's clusterCIDR of /14
// holds 1,024.
func TestClusterCIDRSizesTheNodeIPAM(t *testing.T) {
	run := func(cidr string) *store.Store {
		var y strings.Builder
		y.WriteString("apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: cidr}\n")
		if cidr != "" {
			y.WriteString("clusterCIDR: " + cidr + "\n")
		}
		y.WriteString("nodes:\n")
		for i := 1; i <= 300; i++ {
			fmt.Fprintf(&y, "  - {name: node-%03d}\n", i)
		}
		sc, err := scenario.Parse("cidr.yaml", []byte(y.String()))
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AdvanceTo(api.Time(api.Second)); err != nil {
			t.Fatal(err)
		}
		return c.Store()
	}
	last := func(st *store.Store) string {
		n, _ := store.GetAs[*api.Node](st, "Node", "node-300")
		return n.Spec.PodCIDR
	}
	if got := last(run("")); got != "" {
		t.Errorf("default cluster CIDR: node-300 got podCIDR %q; the /16 has only 256 /24s", got)
	}
	if got := last(run("10.0.0.0/14")); got != "10.1.43.0/24" {
		t.Errorf("clusterCIDR 10.0.0.0/14: node-300 got podCIDR %q; want 10.1.43.0/24 (the 300th /24)", got)
	}
}

func TestClusterCIDRErrors(t *testing.T) {
	for cidr, want := range map[string]string{
		"10.0.0.0":    `cidr.yaml:4: Scenario: clusterCIDR: Invalid value: "10.0.0.0": must be an IPv4 CIDR such as 10.0.0.0/14`,
		"10.0.0.1/14": `must be a network address (its host bits zero), such as 10.0.0.0/14`,
		"10.0.0.0/25": `must be at least as large as a node's /24 podCIDR`,
		"10.0.0.0/7":  `must hold at most 65,536 node /24s`,
		"fd00::/48":   `must be an IPv4 CIDR`,
	} {
		y := "apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: cidr}\nclusterCIDR: " + cidr + "\nnodes: [{name: node-1}]\n"
		_, err := scenario.Parse("cidr.yaml", []byte(y))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("clusterCIDR %s: error %v; want %q", cidr, err, want)
		}
	}
}
