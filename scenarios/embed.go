// Package scenarios embeds the scenario catalogue: every *.yaml file in this directory. Every
// file is run by the tests, so the catalogue cannot rot.
package scenarios

import (
	"embed"
	"io/fs"
	"sort"
	"strings"

	"github.com/kubesim/kubesim/core/scenario"
)

//go:embed *.yaml
var files embed.FS

// Names returns the catalogue's file names ("rolling-update.yaml"), sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// Read returns the contents of a catalogue file.
func Read(name string) ([]byte, error) { return files.ReadFile(name) }

// Info is what the page's scenario list shows of a file: its Scenario document's titles.
type Info struct {
	Title, TitleZh string
}

// Describe returns a catalogue file's titles without parsing it (index.go, kept true by
// TestIndex).
func Describe(name string) (Info, bool) {
	i, ok := index[name]
	return i, ok
}

// Parse reads and parses a catalogue file.
func Parse(name string) (*scenario.Scenario, error) {
	data, err := Read(name)
	if err != nil {
		return nil, err
	}
	return scenario.Parse(name, data)
}
