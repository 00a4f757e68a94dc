package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kubesim lesson prints each step with its question and the answer the simulation gives.
func TestLessonCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"lesson", "lesson-rollback-renumbering"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		"Lesson: Rollback renumbering: kubectl rollout undo\n",
		"3. t=60s\n   predict: What revision number does the Deployment have after the undo?\n   choices: [1 2 3]\n   answer:  3 (revision deployment/web)\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	errOut.Reset()
	if code := run([]string{"lesson", "rolling-update"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "has no Lesson document") {
		t.Errorf("lesson of a plain scenario: exit %d, %q", code, errOut.String())
	}
}

// kubesim validate fails a lesson whose stated answer the simulation does not give.
func TestValidateChecksLessonAnswers(t *testing.T) {
	data, err := os.ReadFile("../../scenarios/lesson-statefulset-ordering.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "stale.yaml")
	stale := strings.Replace(string(data), "expect: 2\n    why: \"A StatefulSet RollingUpdate", "expect: 0\n    why: \"A StatefulSet RollingUpdate", 1)
	if stale == string(data) {
		t.Fatal("the test's replacement did not apply")
	}
	os.WriteFile(f, []byte(stale), 0o644)
	var out, errOut bytes.Buffer
	if code := run([]string{"validate", f}, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "Lesson: steps[1].predict.expect: the simulation gives 2 at 28s (min-ordinal pods -l app=nginx image=nginx:1.27-typo), not 0") {
		t.Errorf("validate of a stale lesson: exit %d, %q", code, errOut.String())
	}
}
