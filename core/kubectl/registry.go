package kubectl

import "github.com/kubesim/kubesim/core/api"

// TablePrinter renders objects of one kind as `kubectl get` rows (the server-side printers of
// pkg/printers/internalversion/printers.go). Each kind's file registers one.
type TablePrinter struct {
	Kind string
	// Headers are the column names, e.g. NAME READY STATUS RESTARTS AGE.
	Headers []string
	// WideHeaders are appended with -o wide.
	WideHeaders []string
	// Row returns the cells for o (len(Headers), plus len(WideHeaders) when wide).
	Row func(o api.Object, now api.Time, wide bool) []string
}

// Describer renders `kubectl describe KIND NAME` for one kind, events excluded (the describe
// command appends the Events section itself).
type Describer func(env *Env, o api.Object) (string, error)

var (
	printers   = map[string]*TablePrinter{}
	describers = map[string]Describer{}
)

// RegisterPrinter adds the table printer of a kind. It is called from init functions.
func RegisterPrinter(p *TablePrinter) {
	if _, dup := printers[p.Kind]; dup {
		panic("kubectl: printer registered twice: " + p.Kind)
	}
	printers[p.Kind] = p
}

// PrinterFor returns the table printer of a kind, or nil.
func PrinterFor(kind string) *TablePrinter { return printers[kind] }

// RegisterDescriber adds the describer of a kind. It is called from init functions.
func RegisterDescriber(kind string, d Describer) {
	if _, dup := describers[kind]; dup {
		panic("kubectl: describer registered twice: " + kind)
	}
	describers[kind] = d
}

// DescriberFor returns the describer of a kind, or nil.
func DescriberFor(kind string) Describer { return describers[kind] }

// RolloutOps are the `kubectl rollout` subcommands for one kind (Deployment, StatefulSet).
// A nil member means the subcommand is not supported for the kind; the rollout command then
// prints kubectl's own error for it.
type RolloutOps struct {
	Status  func(env *Env, o api.Object, inv *Invocation) (string, error)
	History func(env *Env, o api.Object, revision int64) (string, error)
	Undo    func(env *Env, o api.Object, toRevision int64) (string, error)
	Pause   func(env *Env, o api.Object) (string, error)
	Resume  func(env *Env, o api.Object) (string, error)
	Restart func(env *Env, o api.Object) (string, error)
}

var rollouts = map[string]*RolloutOps{}

// RegisterRollout adds the rollout subcommands of a kind. It is called from init functions.
func RegisterRollout(kind string, ops *RolloutOps) {
	if _, dup := rollouts[kind]; dup {
		panic("kubectl: rollout registered twice: " + kind)
	}
	rollouts[kind] = ops
}

// RolloutFor returns the rollout subcommands of a kind, or nil.
func RolloutFor(kind string) *RolloutOps { return rollouts[kind] }
