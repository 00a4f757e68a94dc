package kubectl_test

import (
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// TestPatch: `kubectl patch` applies a JSON merge patch (objects merge, null deletes) and
// prints kubectl's `configmap/web-config patched` or `... patched (no change)`
// (k8s.io/kubectl pkg/cmd/patch/patch.go); bad input gives an error, never a panic.
func TestPatch(t *testing.T) {
	f := newFixture(t)
	steps := []struct{ line, want string }{
		{`patch cm web-config -p '{"data":{"a":"10","b":null,"c":"3"}}'`, "configmap/web-config patched\n"},
		{`patch configmap/web-config --type merge -p '{"data":{"a":"10"}}'`, "configmap/web-config patched (no change)\n"},
		{`patch cm web-config`, "ERR: error: must specify -p to patch"},
		{`patch cm web-config -p '{bad'`, `ERR: error: unable to parse "{bad": invalid character 'b' looking for beginning of object key string`},
		{`patch cm web-config --type json -p '[]'`, "ERR: error: --type json is not supported by kubesim; use --type merge"},
		{`patch cm nope -p '{"data":{}}'`, `ERR: Error from server (NotFound): configmaps "nope" not found`},
	}
	for _, s := range steps {
		if got := strings.TrimSpace(f.run(s.line)); got != strings.TrimSpace(s.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", s.line, got, s.want)
		}
	}
	cm, _ := store.GetAs[*api.ConfigMap](f.e.Store(), "ConfigMap", "default/web-config")
	if want := map[string]string{"a": "10", "c": "3"}; !equalMaps(cm.Data, want) {
		t.Errorf("data after patch = %v, want %v", cm.Data, want)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
