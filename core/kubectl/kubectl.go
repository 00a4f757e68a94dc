package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/api"
	"github.com/kubesim/kubesim/core/sim"
)

// Env is what a command runs against.
type Env struct {
	// Ctx writes to the store and emits events in the name of the caller.
	Ctx *sim.Context
	// Manifests resolves `apply -f NAME`: the scenario's manifests by file-like name
	// ("all", "deployment.yaml", "deployment/web"). It may be nil.
	Manifests func(name string) ([]api.Object, error)

	// used caches admitPods' count of the pods the cluster asks for while the store stays at
	// resource version usedAt, so a command writing many objects counts the cluster once.
	used, usedAt int64
	usedKnown    bool
}

// Invocation is a parsed command line.
type Invocation struct {
	// Path is the command words, e.g. ["rollout", "status"].
	Path []string
	// Args are the positional arguments after the command words.
	Args []string
	// Flags are the flags given, by long name without dashes ("replicas", "namespace").
	Flags map[string]string
	// Namespace is -n/--namespace, "default" when not given.
	Namespace string
	// Line is the command line without the leading "kubectl".
	Line string
}

// Flag returns a flag's value and whether it was given.
func (inv *Invocation) Flag(name string) (string, bool) {
	v, ok := inv.Flags[name]
	return v, ok
}

// flagSep joins the values of a repeated flag in Invocation.Flags.
const flagSep = "\x00"

// FlagValues returns every value of a repeatable flag, in the order given.
func (inv *Invocation) FlagValues(name string) []string {
	v, ok := inv.Flags[name]
	if !ok {
		return nil
	}
	return strings.Split(v, flagSep)
}

// Command is one kubectl command.
type Command struct {
	// Path is the command words: "get", "rollout status".
	Path string
	// Flags lists the long flag names the command accepts (besides -n/--namespace), with
	// their short forms as "o|output". A flag whose name ends in "!" takes no value ("force!");
	// one ending in "*" may be repeated, its values kept in order (Invocation.FlagValues).
	Flags []string
	// Usage is the one-line synopsis shown in errors and help.
	Usage string
	// Run carries out the command and returns its standard output.
	Run func(env *Env, inv *Invocation) (string, error)
}

var commands = map[string]*Command{}

// Register adds a command. It is called from init functions.
func Register(c *Command) {
	if _, dup := commands[c.Path]; dup {
		panic("kubectl: command registered twice: " + c.Path)
	}
	commands[c.Path] = c
}

// Commands returns the registered command paths, sorted.
func Commands() []string {
	var out []string
	for p := range commands {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Error is a kubectl error: its text is what kubectl prints on stderr.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// Errorf returns a kubectl-style error ("error: ...").
func Errorf(format string, args ...any) error {
	return &Error{Msg: "error: " + fmt.Sprintf(format, args...)}
}

// Run parses and runs one command line (with or without the leading "kubectl").
func Run(env *Env, line string) (string, error) {
	words, err := Split(line)
	if err != nil {
		return "", Errorf("%v", err)
	}
	if len(words) > 0 && words[0] == "kubectl" {
		words = words[1:]
	}
	if len(words) == 0 {
		return "", Errorf("no command given; try one of: %s", strings.Join(Commands(), ", "))
	}
	// The longest registered path that prefixes the non-flag words wins.
	var cmd *Command
	var pathLen int
	var nonFlag []string
	for _, w := range words {
		if strings.HasPrefix(w, "-") {
			break
		}
		nonFlag = append(nonFlag, w)
	}
	for n := len(nonFlag); n > 0; n-- {
		if c, ok := commands[strings.Join(nonFlag[:n], " ")]; ok {
			cmd, pathLen = c, n
			break
		}
	}
	if cmd == nil {
		return "", &Error{Msg: fmt.Sprintf("error: unknown command %q for \"kubectl\"", words[0])}
	}
	inv, err := parseFlags(cmd, words[pathLen:])
	if err != nil {
		return "", err
	}
	inv.Path = strings.Fields(cmd.Path)
	inv.Line = strings.Join(words, " ")
	return cmd.Run(env, inv)
}

func parseFlags(cmd *Command, words []string) (*Invocation, error) {
	inv := &Invocation{Flags: map[string]string{}, Namespace: "default"}
	long := map[string]string{"namespace": "namespace", "n": "namespace"}
	boolean, repeated := map[string]bool{}, map[string]bool{}
	for _, f := range cmd.Flags {
		isBool := strings.HasSuffix(f, "!")
		isRepeated := strings.HasSuffix(f, "*")
		f = strings.TrimSuffix(strings.TrimSuffix(f, "!"), "*")
		names := strings.Split(f, "|")
		name := names[len(names)-1]
		for _, n := range names {
			long[n] = name
		}
		boolean[name], repeated[name] = isBool, isRepeated
	}
	usage := fmt.Sprintf("See 'kubectl %s --help' for usage.", cmd.Path)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") || w == "-" {
			inv.Args = append(inv.Args, w)
			continue
		}
		if w == "--" {
			inv.Args = append(inv.Args, words[i+1:]...)
			break
		}
		raw := strings.TrimLeft(w, "-")
		val, hasVal := "", false
		if k, v, ok := strings.Cut(raw, "="); ok {
			raw, val, hasVal = k, v, true
		}
		if raw == "" {
			return nil, &Error{Msg: fmt.Sprintf("error: bad flag syntax: %s\n%s", w, usage)}
		}
		name, ok := long[raw]
		// A shorthand with its value attached, as pflag allows: -owide, -nkube-system.
		if short := raw[:1]; !ok && !hasVal && !strings.HasPrefix(w, "--") && len(raw) > 1 {
			if n, isFlag := long[short]; isFlag && !boolean[n] {
				name, ok, val, hasVal = n, true, raw[1:], true
			}
		}
		if !ok {
			if strings.HasPrefix(w, "--") {
				return nil, &Error{Msg: fmt.Sprintf("error: unknown flag: --%s\n%s", raw, usage)}
			}
			return nil, &Error{Msg: fmt.Sprintf("error: unknown shorthand flag: '%s' in %s\n%s", raw[:1], w, usage)}
		}
		if boolean[name] {
			if !hasVal {
				val = "true"
			}
		} else if !hasVal {
			if i+1 >= len(words) {
				return nil, &Error{Msg: fmt.Sprintf("error: flag needs an argument: --%s\n%s", name, usage)}
			}
			i++
			val = words[i]
		}
		if prev, again := inv.Flags[name]; again && repeated[name] {
			val = prev + flagSep + val
		}
		inv.Flags[name] = val
		if name == "namespace" {
			inv.Namespace = val
		}
	}
	return inv, nil
}

// Split splits a command line into words, honouring single and double quotes.
func Split(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			} else {
				cur.WriteByte(ch)
			}
		case ch == '\'' || ch == '"':
			quote, inWord = ch, true
		case ch == ' ' || ch == '\t' || ch == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// ResourceArg splits "deployment/web" or ("deployment", "web") into a canonical kind and a
// name, accepting kubectl's short names (deploy, rs, sts, po, svc, pvc, no).
func ResourceArg(args []string) (kind, name string, err error) {
	var typ string
	switch {
	case len(args) >= 1 && strings.Contains(args[0], "/"):
		typ, name, _ = strings.Cut(args[0], "/")
	case len(args) >= 2:
		typ, name = args[0], args[1]
	case len(args) == 1:
		typ = args[0]
	default:
		return "", "", Errorf("you must specify the type of resource to get")
	}
	kind, ok := KindOf(typ)
	if !ok {
		return "", "", &Error{Msg: fmt.Sprintf("error: the server doesn't have a resource type %q", typ)}
	}
	return kind, name, nil
}

var kindAliases = map[string]string{
	"pod": "Pod", "pods": "Pod", "po": "Pod",
	"node": "Node", "nodes": "Node", "no": "Node",
	"deployment": "Deployment", "deployments": "Deployment", "deploy": "Deployment",
	"replicaset": "ReplicaSet", "replicasets": "ReplicaSet", "rs": "ReplicaSet",
	"statefulset": "StatefulSet", "statefulsets": "StatefulSet", "sts": "StatefulSet",
	"service": "Service", "services": "Service", "svc": "Service",
	"endpointslice": "EndpointSlice", "endpointslices": "EndpointSlice",
	"persistentvolumeclaim": "PersistentVolumeClaim", "persistentvolumeclaims": "PersistentVolumeClaim", "pvc": "PersistentVolumeClaim",
	"persistentvolume": "PersistentVolume", "persistentvolumes": "PersistentVolume", "pv": "PersistentVolume",
	"storageclass": "StorageClass", "storageclasses": "StorageClass", "sc": "StorageClass",
	"controllerrevision": "ControllerRevision", "controllerrevisions": "ControllerRevision",
	"event": "Event", "events": "Event", "ev": "Event",
	"horizontalpodautoscaler": "HorizontalPodAutoscaler", "horizontalpodautoscalers": "HorizontalPodAutoscaler", "hpa": "HorizontalPodAutoscaler",
	"configmap": "ConfigMap", "configmaps": "ConfigMap", "cm": "ConfigMap",
	"secret": "Secret", "secrets": "Secret",
	"poddisruptionbudget": "PodDisruptionBudget", "poddisruptionbudgets": "PodDisruptionBudget", "pdb": "PodDisruptionBudget",
	"priorityclass": "PriorityClass", "priorityclasses": "PriorityClass", "pc": "PriorityClass",
}

// KindOf maps a kubectl resource name (any accepted spelling, case-insensitive) to a kind.
func KindOf(typ string) (string, bool) {
	k, ok := kindAliases[strings.ToLower(typ)]
	return k, ok
}

// IsClusterScoped reports whether a kind has no namespace.
func IsClusterScoped(kind string) bool {
	switch kind {
	case "Node", "PersistentVolume", "StorageClass", "Namespace", "PriorityClass":
		return true
	}
	return false
}

// Key returns the store key of a named object of kind in ns.
func Key(kind, ns, name string) string {
	if IsClusterScoped(kind) {
		return name
	}
	return ns + "/" + name
}

// LowerKind returns kubectl's lower-case resource word for a kind with its API group, as used
// in messages like `deployment.apps/web scaled`.
func LowerKind(kind string) string {
	switch kind {
	case "Deployment", "ReplicaSet", "StatefulSet", "ControllerRevision":
		return strings.ToLower(kind) + ".apps"
	case "EndpointSlice":
		return "endpointslice.discovery.k8s.io"
	case "PodDisruptionBudget":
		return "poddisruptionbudget.policy"
	case "StorageClass":
		return "storageclass.storage.k8s.io"
	case "PriorityClass":
		return "priorityclass.scheduling.k8s.io"
	case "HorizontalPodAutoscaler":
		return "horizontalpodautoscaler.autoscaling"
	}
	return strings.ToLower(kind)
}
