package site

import (
	"fmt"
	"strings"

	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
)

// Scenario is one entry of /api/scenarios.
type Scenario struct {
	// Name is the catalogue file's name without ".yaml" ("rolling-update"): unique by
	// construction, and what the page's ?scenario= option names.
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Catalogue lists the embedded scenario catalogue (package scenarios), sorted by file
// name, each file parsed with scenario.Parse for its title and description. A file that
// does not parse is an error naming it: the catalogue is tested, so that is a build bug.
func Catalogue() ([]Scenario, error) {
	out := []Scenario{}
	for _, file := range scenarios.Names() {
		data, err := scenarios.Read(file)
		if err != nil {
			return nil, fmt.Errorf("catalogue: %s: %w", file, err)
		}
		sc, err := scenario.Parse(file, data)
		if err != nil {
			return nil, fmt.Errorf("catalogue: %w", err)
		}
		out = append(out, Scenario{
			Name:        strings.TrimSuffix(file, ".yaml"),
			Title:       sc.Title,
			Description: sc.Description,
		})
	}
	return out, nil
}
