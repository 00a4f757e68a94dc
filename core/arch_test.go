package core_test

// This file is a statement of policy: the simulator core is deterministic and headless.
// Do not edit it to make a build pass; change the code instead (design.md "The engine").

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbiddenImports may not be imported by any non-test file under core/.
var forbiddenImports = []string{
	"github.com/hajimehoshi/ebiten", "syscall/js", "os", "os/exec", "net", "net/http",
	"math/rand", "crypto/rand", "sync", "sync/atomic", "time",
	"github.com/kubesim/kubesim/wasm", "github.com/kubesim/kubesim/web", "github.com/kubesim/kubesim/assets",
	"github.com/kubesim/kubesim/scenarios", "github.com/kubesim/kubesim/cmd",
}

// exempt packages may use os/flag/time for test tooling (golden files, -update).
var exempt = map[string]bool{"simtest": true}

// controllersMayNotImport: controllers talk only through the store, never to each other.
const controllersDir = "controllers"

// walkCore parses every non-test Go file under core/ (outside the exempt packages and
// testdata) with mode and calls fn for each.
func walkCore(t *testing.T, mode parser.Mode, fn func(path string, fset *token.FileSet, f *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if exempt[d.Name()] || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, mode)
		if err != nil {
			return err
		}
		fn(path, fset, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestImportPolicy(t *testing.T) {
	walkCore(t, parser.ImportsOnly, func(path string, _ *token.FileSet, f *ast.File) {
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "math/rand/v2" && filepath.ToSlash(filepath.Dir(path)) != "sim" {
				t.Errorf("%s imports math/rand/v2: only the engine owns random streams; use ctx.Rand(stream)", path)
			}
			for _, bad := range forbiddenImports {
				if p == bad || (strings.HasPrefix(p, bad+"/") && bad != "math/rand") {
					t.Errorf("%s imports %q: forbidden in core (nondeterministic or platform-specific)", path, p)
				}
			}
			if dir := filepath.ToSlash(filepath.Dir(path)); strings.HasPrefix(dir, controllersDir+"/") {
				own := strings.Split(dir, "/")[1]
				const prefix = "github.com/kubesim/kubesim/core/controllers/"
				if other, ok := strings.CutPrefix(p, prefix); ok && strings.Split(other, "/")[0] != own {
					t.Errorf("%s imports controller package %q: controllers talk only through the store", path, p)
				}
			}
		}
	})
}

func TestNoGoroutinesOrWallClock(t *testing.T) {
	walkCore(t, 0, func(path string, fset *token.FileSet, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				t.Errorf("%s: go statement: the engine is single-threaded", fset.Position(n.Pos()))
			case *ast.SelectStmt:
				t.Errorf("%s: select statement: the engine is single-threaded", fset.Position(n.Pos()))
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == "time" {
					switch n.Sel.Name {
					case "Now", "Since", "Until", "Sleep", "After", "Tick", "NewTimer", "NewTicker", "AfterFunc":
						t.Errorf("%s: time.%s: nothing in core reads the wall clock", fset.Position(n.Pos()), n.Sel.Name)
					}
				}
			}
			return true
		})
	})
}
