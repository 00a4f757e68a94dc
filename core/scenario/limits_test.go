package scenario_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/scenario"
)

func deployment(name string, replicas int) string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: %s}
spec:
  replicas: %d
  selector: {matchLabels: {app: %s}}
  template:
    metadata: {labels: {app: %s}}
    spec: {containers: [{name: app, image: web:1.0}]}
`, name, replicas, name, name)
}

// TestLimits: every limit that protects a browser tab rejects a scenario up front with a
// message naming the limit (the README's limits table lists the same values).
func TestLimits(t *testing.T) {
	many := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i))
		}
		return b.String()
	}
	tests := []struct {
		name, yaml string
		want       string
	}{
		{"file size", header + "# " + strings.Repeat("x", scenario.MaxFileBytes), "a scenario may be at most 1048576 bytes (1 MiB)"},
		{"documents", header + many(scenario.MaxDocuments+1, func(i int) string { return "---\n" }) + deployment("web", 1),
			"documents; a scenario may have at most 500"},
		{"nodes", strings.Replace(header, "nodes: [{name: node-1}]", "nodes: ["+many(scenario.MaxNodes+1, func(i int) string { return fmt.Sprintf("{name: n-%d},", i) })+"]", 1) + deployment("web", 1),
			"nodes: Too many: 1001: a scenario may have at most 1000 nodes"},
		{"steps", strings.Replace(header, "timeline:\n", "timeline:\n"+many(scenario.MaxSteps, func(i int) string { return "  - {at: 1s, caption: x}\n" }), 1) + deployment("web", 1),
			"timeline: Too many: 1001: a scenario may have at most 1000 steps"},
		{"until", strings.Replace(header, "metadata: {name: t}", "metadata: {name: t}\nuntil: 25h", 1) + deployment("web", 1),
			`until: Invalid value: "25h": must be between 0s and 24h0m0s`},
		{"replicas per workload", header + deployment("web", api.MaxReplicas+1),
			`t.yaml:12: Deployment "web": spec.replicas: Invalid value: 5001: must be no more than 5000 (kubesim limit: at most 5000 replicas per workload`},
		{"total replicas", header + deployment("a", 4000) + "---\n" + deployment("b", 4000) + "---\n" + deployment("c", 2001),
			"the manifests ask for 10001 pods in total (replicas of every Deployment, ReplicaSet and StatefulSet, bare Pods, and every HorizontalPodAutoscaler's maxReplicas); a scenario may ask for at most 10000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenario.Parse("t.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain %q", err, tc.want)
			}
		})
	}
	// At the limits, the same shapes are accepted.
	ok := header + deployment("a", 5000) + "---\n" + deployment("b", 5000)
	if _, err := scenario.Parse("t.yaml", []byte(ok)); err != nil {
		t.Fatalf("a scenario at the limits was rejected: %v", err)
	}
}

// TestDurationRange: every duration a scenario holds lies between 0 and 24 h. Values too
// large for the int64 millisecond clock are refused exactly like 24h+1ms, quoting what was
// written, never a wrapped-around number ("--9223372036854775808ms").
func TestDurationRange(t *testing.T) {
	fields := []struct{ path, yaml string }{
		{"until", "until: %s\nnodes: [{name: node-1}]\ntimeline:\n  - {at: 0s, apply: all}\n"},
		{"timeline[1].at", "nodes: [{name: node-1}]\ntimeline:\n  - {at: 0s, apply: all}\n  - {at: %s, caption: x}\n"},
		{"images[web:1.0].pull", "nodes: [{name: node-1}]\nimages:\n  web:1.0: {pull: %s}\ntimeline:\n  - {at: 0s, apply: all}\n"},
		{"images[web:1.0].probes[/healthz].unhealthyAt", "nodes: [{name: node-1}]\nimages:\n  web:1.0: {probes: {/healthz: {unhealthyAt: %s}}}\ntimeline:\n  - {at: 0s, apply: all}\n"},
		{"defaultImage.stopAfter", "nodes: [{name: node-1}]\ndefaultImage: {stopAfter: %s}\ntimeline:\n  - {at: 0s, apply: all}\n"},
	}
	for _, c := range []struct {
		value string // as written in the YAML
		shown string // as the error quotes it; "" when accepted
	}{
		{"0s", ""},
		{"24h", ""},
		{"86400", ""}, // a bare number is seconds
		{"23h59m59.999s", ""},
		{"24h0m0.001s", `"24h0m0.001s"`},
		{"86400.001", "86400.001"},
		{"25h", `"25h"`},
		{"-1ms", `"-1ms"`},
		{"-5", "-5"},
		{"9223372036854775807ms", `"9223372036854775807ms"`}, // the clock's maximum
		{"9223372036854775808ms", `"9223372036854775808ms"`},
		{"-9223372036854775808ms", `"-9223372036854775808ms"`},
		{"9999999999999999999h", `"9999999999999999999h"`},
		{"99999999999999999999999s", `"99999999999999999999999s"`},
		{"9999999999999999999", "9999999999999999999"}, // seconds; YAML keeps the digits
		{"1e400", `"1e400"`}, // YAML keeps it a string: no float64 holds it
		{"1e+23", "1e+23"},
	} {
		for _, f := range fields {
			doc := "apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: t}\n" + fmt.Sprintf(f.yaml, c.value) + "---\n" + deployment("web", 1)
			_, err := scenario.Parse("t.yaml", []byte(doc))
			if c.shown == "" {
				if err != nil {
					t.Errorf("%s: %s rejected: %v", f.path, c.value, err)
				}
				continue
			}
			want := fmt.Sprintf("%s: Invalid value: %s: must be between 0s and 24h0m0s", f.path, c.shown)
			if err == nil || !strings.Contains(err.Error(), want) || strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("%s: %s: error\n%v\nwant the single error %q", f.path, c.value, err, want)
			}
		}
	}
	// Not a duration at all: the parser's reason, not a range.
	doc := "apiVersion: kubesim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nuntil: 1e400s\n---\n" + deployment("web", 1)
	if _, err := scenario.Parse("t.yaml", []byte(doc)); err == nil || !strings.Contains(err.Error(), `until: Invalid value: "1e400s": invalid duration "1e400s": unknown unit "e"`) {
		t.Errorf("until: 1e400s: error %v, want the unknown unit", err)
	}
}

// endless is a reader of endless comment bytes that counts what it hands out.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '#'
	}
	e.n += len(p)
	return len(p), nil
}

// TestParseReaderStopsAtLimit: an oversized file, even an endless one, is refused after
// reading at most MaxFileBytes+1 bytes, with the size limit's message naming the file.
func TestParseReaderStopsAtLimit(t *testing.T) {
	r := &endless{}
	_, err := scenario.ParseReader("huge.yaml", r)
	want := "huge.yaml: the file is more than 1048576 bytes; a scenario may be at most 1048576 bytes (1 MiB)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if r.n > scenario.MaxFileBytes+1 {
		t.Errorf("read %d bytes of an oversized file; want at most %d", r.n, scenario.MaxFileBytes+1)
	}
	// A file of exactly the limit is read whole and parsed.
	ok := header + deployment("web", 1)
	ok += "#" + strings.Repeat("x", scenario.MaxFileBytes-len(ok)-2) + "\n"
	if _, err := scenario.ParseReader("limit.yaml", io.MultiReader(strings.NewReader(ok[:1000]), strings.NewReader(ok[1000:]))); err != nil {
		t.Errorf("a file of exactly %d bytes: %v", len(ok), err)
	}
}
