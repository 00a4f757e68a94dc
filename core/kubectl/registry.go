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
