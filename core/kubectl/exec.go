package kubectl

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/store"
)

// `kubectl exec POD -- nslookup|getent hosts|dig +short NAME`: name lookups inside a pod,
// answered from the DNSRecord objects the dns controller keeps (CoreDNS semantics, pods.md
// §13). The pod's resolv.conf is the ClusterFirst one: nameserver 10.96.0.10, search
// <ns>.svc.cluster.local svc.cluster.local cluster.local, options ndots:5.

// ClusterDNSIP is the kube-dns Service address kubelets put in resolv.conf.
const ClusterDNSIP = "10.96.0.10"

func init() {
	Register(&Command{Path: "exec", Flags: []string{"c|container", "i|stdin!", "t|tty!", "it!", "ti!"},
		Usage: "kubectl exec POD [-c CONTAINER] -- COMMAND [args...]", Run: runExec})
}

// errExit is how kubectl reports a command's non-zero exit.
func errExit(code int) error {
	return &Error{Msg: fmt.Sprintf("command terminated with exit code %d", code)}
}

func runExec(env *Env, inv *Invocation) (string, error) {
	if len(inv.Args) == 0 {
		return "", Errorf("expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command")
	}
	name := strings.TrimPrefix(inv.Args[0], "pod/")
	name = strings.TrimPrefix(name, "pods/")
	cmd := inv.Args[1:]
	if len(cmd) == 0 {
		return "", Errorf("you must specify at least one command for the container")
	}
	p, ok := store.GetAs[*api.Pod](env.Ctx.Store(), "Pod", inv.Namespace+"/"+name)
	if !ok {
		return "", NotFoundError("Pod", name)
	}
	if p.IsTerminal() {
		return "", Errorf("cannot exec into a container in a completed pod; current phase is %s", p.Status.Phase)
	}
	container := p.Spec.Containers[0].Name
	if c, ok := inv.Flag("container"); ok {
		container = c
	}
	if p.Status.Phase != api.PodRunning {
		return "", Errorf("unable to upgrade connection: container not found (%q)", container)
	}
	if out, err, ok := execConfig(env, p, container, cmd); ok {
		return out, err
	}
	r := &resolver{s: env.Ctx.Store(), ns: p.Namespace}
	switch {
	case cmd[0] == "nslookup" && len(cmd) == 2:
		return r.nslookup(cmd[1])
	case cmd[0] == "getent" && len(cmd) == 3 && cmd[1] == "hosts":
		ips, fqdn := r.resolve(cmd[2])
		if len(ips) == 0 {
			return "", errExit(2)
		}
		var b strings.Builder
		for _, ip := range ips {
			fmt.Fprintf(&b, "%-15s %s\n", ip, fqdn)
		}
		return b.String(), nil
	case cmd[0] == "dig" && len(cmd) == 3 && cmd[1] == "+short":
		ips, _ := r.resolve(cmd[2])
		if len(ips) == 0 {
			return "", nil
		}
		return strings.Join(ips, "\n") + "\n", nil
	}
	return "", &Error{Msg: fmt.Sprintf("OCI runtime exec failed: exec failed: unable to start container process: exec: %q: executable file not found in $PATH: unknown\ncommand terminated with exit code 126", cmd[0])}
}

type resolver struct {
	s  *store.Store
	ns string
}

// candidates applies the search list like a stub resolver with ndots:5: a relative name with
// fewer than 5 dots is tried with each search domain first, then as is.
func (r *resolver) candidates(name string) []string {
	if strings.HasSuffix(name, ".") {
		return []string{strings.TrimSuffix(name, ".")}
	}
	search := []string{r.ns + ".svc.cluster.local", "svc.cluster.local", "cluster.local"}
	var out []string
	if strings.Count(name, ".") >= 5 {
		out = append(out, name)
	}
	for _, d := range search {
		out = append(out, name+"."+d)
	}
	if strings.Count(name, ".") < 5 {
		out = append(out, name)
	}
	return out
}

// lookupA answers A queries for a fully-qualified name from the DNSRecord objects, plus the
// synthesized pod records a-b-c-d.<ns>.pod.cluster.local ("pods insecure").
func (r *resolver) lookupA(fqdn string) []string {
	var ips []string
	fqdn = strings.ToLower(fqdn)
	for _, rec := range store.ListAs[*api.DNSRecord](r.s, "DNSRecord", "") {
		if rec.Type == "A" && strings.ToLower(rec.FQDN) == fqdn {
			ips = append(ips, rec.Data)
		}
	}
	if len(ips) == 0 && strings.HasSuffix(fqdn, ".pod.cluster.local") {
		if head, _, ok := strings.Cut(fqdn, "."); ok && strings.Count(head, "-") == 3 {
			ip := strings.ReplaceAll(head, "-", ".")
			for _, p := range store.ListAs[*api.Pod](r.s, "Pod", "") {
				if p.Status.PodIP == ip {
					ips = append(ips, ip)
					break
				}
			}
		}
	}
	return ips
}

// resolve returns the addresses of the first candidate name that has any, and that name.
func (r *resolver) resolve(name string) ([]string, string) {
	for _, c := range r.candidates(name) {
		if ips := r.lookupA(c); len(ips) > 0 {
			return ips, c
		}
	}
	return nil, ""
}

// nslookup prints what busybox nslookup prints.
func (r *resolver) nslookup(name string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "Server:\t\t%s\nAddress:\t%s:53\n\n", ClusterDNSIP, ClusterDNSIP)
	ips, fqdn := r.resolve(name)
	if len(ips) == 0 {
		fmt.Fprintf(&b, "** server can't find %s: NXDOMAIN\n\n", strings.TrimSuffix(name, "."))
		return b.String(), errExit(1)
	}
	for _, ip := range ips {
		fmt.Fprintf(&b, "Name:\t%s\nAddress: %s\n", fqdn, ip)
	}
	b.WriteString("\n")
	return b.String(), nil
}
