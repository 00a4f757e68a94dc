// Command kubesim runs kubesim scenarios headless and serves the page.
//
//	kubesim run FILE [--seed N] [--until D] [-o text|jsonl] [--full-states]
//	kubesim validate FILE...
//	kubesim serve [--dir dist] [--addr 127.0.0.1:8080]
//
// Errors go to stderr with exit status 1; bad input never produces a stack trace.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// Subcommand is one `kubesim NAME` command. Each file registers its own from init.
type Subcommand struct {
	// Usage is the synopsis line shown by `kubesim help`.
	Usage string
	// Run executes the command with the arguments after its name and returns the exit code.
	Run func(args []string, stdout, stderr io.Writer) int
}

var subcommands = map[string]*Subcommand{}

func register(name string, c *Subcommand) {
	if _, dup := subcommands[name]; dup {
		panic("kubesim: subcommand registered twice: " + name)
	}
	subcommands[name] = c
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: kubesim COMMAND [ARGS]\n\ncommands:")
	var names []string
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %s\n", subcommands[n].Usage)
	}
}

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	c, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "kubesim: unknown command %q\n", args[0])
		usage(stderr)
		return 1
	}
	return c.Run(args[1:], stdout, stderr)
}
