package main

import (
	"fmt"
	"io"
)

func init() {
	register("validate", &Subcommand{
		Usage: "validate FILE...                                   check scenario files; exit 1 with the errors",
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
		if _, err := loadScenario(f); err != nil {
			fmt.Fprintln(stderr, err)
			status = 1
			continue
		}
		fmt.Fprintf(stdout, "%s: valid\n", f)
	}
	return status
}
