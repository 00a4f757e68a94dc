package kubectl_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// TestPatchResize: `kubectl patch pod --subresource resize` changes a container's cpu and
// memory in place (the strategic merge matches the container by name); a plain patch of the
// same resources is refused by the pod update validation, and the resize subresource
// refuses anything but cpu and memory (pkg/apis/core/validation ValidatePodResize).
func TestPatchResize(t *testing.T) {
	f := newFixture(t)
	const up = `'{"spec":{"containers":[{"name":"web","resources":{"requests":{"cpu":"500m"}}}]}}'`
	steps := []struct{ line, want string }{
		{`patch pod web-0 -p ` + up, "ERR: The Pod \"web-0\" is invalid: spec: Forbidden: pod updates may not change fields other than"},
		{`patch pod web-0 --subresource resize -p ` + up, "pod/web-0 patched"},
		{`patch pod web-0 --subresource resize -p ` + up, "pod/web-0 patched (no change)"},
		{`patch pod web-0 --subresource resize -p '{"spec":{"containers":[{"name":"web","image":"web:2.0"}]}}'`,
			`ERR: The Pod "web-0" is invalid: spec: Forbidden: only cpu and memory resources are mutable`},
		{`patch pod web-0 --subresource resize --type merge -p ` + up,
			`ERR: The Pod "web-0" is invalid: [spec.containers[0].image: Required value`},
		{`patch pod web-0 --subresource bogus -p ` + up, `ERR: error: invalid subresource value: "bogus". Must be one of [status scale resize]`},
		{`patch cm web-config --subresource resize -p '{"data":{}}'`,
			"ERR: Error from server (NotFound): the server could not find the requested resource (patch configmaps web-config)"},
	}
	for _, s := range steps {
		got := strings.TrimSpace(f.run(s.line))
		if ok := strings.HasPrefix(got, s.want); !ok || (!strings.HasPrefix(s.want, "ERR") && got != s.want) {
			t.Errorf("%s:\ngot  %q\nwant %q...", s.line, got, s.want)
		}
	}
	p, _ := store.GetAs[*api.Pod](f.e.Store(), "Pod", "default/web-0")
	c := p.Spec.Containers[0]
	if got := c.Resources.Requests["cpu"].String(); got != "500m" || c.Image != "web:1.0" || len(c.Ports) != 1 {
		t.Errorf("after resize: cpu %s image %s ports %v, want 500m, web:1.0 and the port kept", got, c.Image, c.Ports)
	}
	if p.Status.Phase != api.PodRunning {
		t.Errorf("resize changed the status: phase %q", p.Status.Phase)
	}
}
