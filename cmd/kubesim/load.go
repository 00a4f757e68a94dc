package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/kubesim/kubesim/core/scenario"
	"github.com/kubesim/kubesim/scenarios"
)

// loadScenario reads a scenario from a file, or from the built-in catalogue when no such
// file exists and the name is a catalogue entry ("rolling-update" or "rolling-update.yaml").
func loadScenario(name string) (*scenario.Scenario, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		entry := strings.TrimSuffix(name, ".yaml") + ".yaml"
		if b, cerr := scenarios.Read(entry); cerr == nil {
			return scenario.Parse(entry, b)
		}
		return nil, fmt.Errorf("%s: no such file, and no built-in scenario of that name (built-in: %s)",
			name, strings.Join(scenarios.Names(), ", "))
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return scenario.ParseReader(name, f) // stops reading past the size limit
}
