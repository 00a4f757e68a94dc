package scenarios

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

// The comparisons (kind: Comparison, README "Side by side") live in comparisons/, apart from
// the scenarios: each names a catalogue scenario and two variants of it.
//
//go:embed comparisons/*.yaml
var comparisonFiles embed.FS

// ComparisonNames returns the comparisons' file names ("max-surge.yaml"), sorted.
func ComparisonNames() []string {
	entries, _ := fs.ReadDir(comparisonFiles, "comparisons")
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// ReadComparison returns the contents of a comparison file.
func ReadComparison(name string) ([]byte, error) {
	return comparisonFiles.ReadFile("comparisons/" + name)
}
