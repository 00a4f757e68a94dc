package kubectl

import (
	"fmt"
	"strconv"

	"github.com/kubesim/kubesim/core/api"
)

// `kubectl rollout status|history|undo|pause|resume|restart TYPE/NAME` (k8s.io/kubectl
// v0.37.2 pkg/cmd/rollout). Each kind's operations come from RolloutFor (Deployment in
// rollout_deployment.go, StatefulSet in rollout_statefulset.go).
//
// `rollout status` is not a blocking watch here: a scenario step or the console runs at one
// virtual instant, so it prints the one line kubectl would print for the current state (the
// latest message of the watch), or kubectl's error when the rollout has failed.

func init() {
	for _, sub := range []struct {
		name  string
		flags []string
	}{
		{"status", []string{"revision", "w|watch!", "timeout"}},
		{"history", []string{"revision"}},
		{"undo", []string{"to-revision", "dry-run"}},
		{"pause", nil},
		{"resume", nil},
		{"restart", nil},
	} {
		sub := sub
		Register(&Command{Path: "rollout " + sub.name, Flags: sub.flags,
			Usage: "kubectl rollout " + sub.name + " (TYPE NAME | TYPE/NAME) [flags]",
			Run:   func(env *Env, inv *Invocation) (string, error) { return runRollout(env, inv, sub.name) }})
	}
}

// rolloutVerb is the word kubectl uses in "<verb> is not supported" errors.
var rolloutVerb = map[string]string{"pause": "pausing", "resume": "resuming", "restart": "restarting",
	"undo": "rollback", "history": "history", "status": "status"}

func runRollout(env *Env, inv *Invocation, sub string) (string, error) {
	if len(inv.Args) == 0 {
		return "", Errorf("required resource not specified")
	}
	kind, name, err := ResourceArg(inv.Args)
	if err != nil {
		return "", err
	}
	if name == "" {
		return "", Errorf("resource name may not be empty")
	}
	o := env.Ctx.Store().Get(kind, Key(kind, inv.Namespace, name))
	if o == nil {
		return "", NotFoundError(kind, name)
	}
	ops := RolloutFor(kind)
	unsupported := func() (string, error) {
		switch sub {
		case "status":
			return "", Errorf("no status viewer has been implemented for %s", LowerKind(kind))
		case "history", "undo":
			return "", Errorf("no %s has been implemented for %q", map[string]string{"history": "history viewer", "undo": "rollbacker"}[sub], LowerKind(kind))
		}
		return "", &Error{Msg: fmt.Sprintf("error: %s %q %s is not supported", resourcePlural(kind), name, rolloutVerb[sub])}
	}
	if ops == nil {
		return unsupported()
	}
	intFlag := func(flag string) (int64, error) {
		v, ok := inv.Flag(flag)
		if !ok {
			return 0, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, Errorf("invalid argument %q for \"--%s\" flag: strconv.ParseInt: parsing %q: invalid syntax", v, flag, v)
		}
		return n, nil
	}
	// wrap puts kubectl's `<resource> "name"` in front of a helper's refusal, as RunPause,
	// RunResume and RunRestart do.
	wrap := func(out string, err error) (string, error) {
		if e, ok := err.(*rolloutRefusal); ok {
			return "", &Error{Msg: fmt.Sprintf("error: %s %q %s", resourcePlural(kind), name, e.msg)}
		}
		return out, err
	}
	switch sub {
	case "status":
		if ops.Status == nil {
			return unsupported()
		}
		return ops.Status(env, o, inv)
	case "history":
		if ops.History == nil {
			return unsupported()
		}
		rev, err := intFlag("revision")
		if err != nil {
			return "", err
		}
		return ops.History(env, o, rev)
	case "undo":
		if ops.Undo == nil {
			return unsupported()
		}
		rev, err := intFlag("to-revision")
		if err != nil {
			return "", err
		}
		return ops.Undo(env, o, rev)
	case "pause":
		if ops.Pause == nil {
			return unsupported()
		}
		return wrap(ops.Pause(env, o))
	case "resume":
		if ops.Resume == nil {
			return unsupported()
		}
		return wrap(ops.Resume(env, o))
	case "restart":
		if ops.Restart == nil {
			return unsupported()
		}
		return wrap(ops.Restart(env, o))
	}
	return "", Errorf("unknown rollout subcommand %q", sub)
}

// rolloutRefusal is a helper's refusal that kubectl prints after the resource and name:
// `error: deployments.apps "web" is already paused`.
type rolloutRefusal struct{ msg string }

func (r *rolloutRefusal) Error() string { return r.msg }

// refuse returns a refusal for runRollout to wrap.
func refuse(msg string) error { return &rolloutRefusal{msg} }

// objectRef renders `deployment.apps/web`, kubectl's name printer output.
func objectRef(o api.Object) string { return LowerKind(o.GetKind()) + "/" + o.Meta().Name }
