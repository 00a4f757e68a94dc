package kubectl

import (
	"testing"

	"github.com/kubesim/kubesim/core/api"
)

// describe prints "Port:" for one port and "Ports:" for several, likewise for host ports
// (pkg/describe/describe.go describeContainerPorts, describeContainerHostPorts: a host
// port per container port, 0 included).
func TestWritePorts(t *testing.T) {
	got := TabbedString(func(w *PrefixWriter) {
		writePorts(w, 1, "", nil)
		writePorts(w, 0, "  ", []api.ContainerPort{{ContainerPort: 80, Protocol: "TCP"}, {ContainerPort: 443, Protocol: "TCP", HostPort: 8443}})
	})
	want := "  Port:        <none>\n  Host Port:   <none>\n  Ports:       80/TCP, 443/TCP\n  Host Ports:  0/TCP, 8443/TCP\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
