package main

import (
	"fmt"
	"io"

	"github.com/kubesim/kubesim/core/lesson"
)

func init() {
	register("validate", &Subcommand{
		Usage: "validate FILE...                                   check scenario files (and lessons' answers); exit 1 with the errors",
		Run:   runValidate,
	})
}

func runValidate(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "kubesim validate: missing scenario FILE")
		return 1
	}
	status := 0
	for _, f := range args {
		sc, err := loadScenario(f)
		if err != nil {
			fmt.Fprintln(stderr, err)
			status = 1
			continue
		}
		// A lesson's claimed answers are checked against the simulation, so it cannot go stale.
		if sc.Lesson != nil {
			if err := lesson.Verify(sc); err != nil {
				fmt.Fprintln(stderr, err)
				status = 1
				continue
			}
		}
		fmt.Fprintf(stdout, "%s: valid\n", f)
	}
	return status
}
