package main

import "testing"

// TestBench: the bench command runs both sides of a scenario (the README's ratio comes
// from `go run . bench testdata/rolling-1000.yaml`), here on a small one.
func TestBench(t *testing.T) {
	if err := benchCommand([]string{"rolling-update", "1"}); err != nil {
		t.Fatal(err)
	}
	if err := benchCommand([]string{"rolling-update", "0"}); err == nil {
		t.Error("bench with 0 rounds: no error")
	}
}
