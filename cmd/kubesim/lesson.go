package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/kubesim/kubesim/core/lesson"
)

func init() {
	register("lesson", &Subcommand{
		Usage: "lesson FILE [--seed N]                             print a lesson's steps, questions and simulated answers",
		Run:   runLesson,
	})
}

func runLesson(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("lesson", flag.ContinueOnError)
	fl.SetOutput(stderr)
	seed := fl.Uint64("seed", 0, "random seed (default: the scenario's)")
	file, rest := splitFirstArg(args)
	if err := fl.Parse(rest); err != nil {
		return 1
	}
	if file == "" && fl.NArg() > 0 {
		file = fl.Arg(0)
	}
	if file == "" {
		fmt.Fprintln(stderr, "kubesim lesson: missing lesson FILE")
		return 1
	}
	sc, err := loadScenario(file)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if sc.Lesson == nil {
		fmt.Fprintf(stderr, "kubesim lesson: %s has no Lesson document (kind: Lesson)\n", file)
		return 1
	}
	answers, err := lesson.Run(sc, *seed)
	if err != nil {
		fmt.Fprintln(stderr, "kubesim lesson:", err)
		return 1
	}
	byStep := map[int]lesson.Answer{}
	for _, a := range answers {
		byStep[a.Step] = a
	}
	title := sc.Lesson.Title
	if title == "" {
		title = sc.Title
	}
	fmt.Fprintf(stdout, "Lesson: %s\n", title)
	for i, st := range sc.Lesson.Steps {
		fmt.Fprintf(stdout, "\n%d. t=%ss\n", i+1, st.At.SecondsString())
		if pr := st.Predict; pr != nil {
			fmt.Fprintf(stdout, "   predict: %s\n", pr.Question)
			if len(pr.Choices) > 0 {
				fmt.Fprintf(stdout, "   choices: %v\n", pr.Choices)
			}
			a := byStep[i]
			if a.Err != nil {
				fmt.Fprintf(stdout, "   answer:  none (%v)\n", a.Err)
			} else {
				fmt.Fprintf(stdout, "   answer:  %d (%s)\n", a.Value, pr.Check.Text)
			}
		}
		fmt.Fprintf(stdout, "   %s\n", st.Caption)
		if st.Why != "" {
			fmt.Fprintf(stdout, "   why: %s\n", st.Why)
		}
	}
	return 0
}
