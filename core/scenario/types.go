package scenario

import "github.com/kubesim/kubesim/core/api"

// APIVersion is the apiVersion of the Scenario document.
const APIVersion = "kubesim.dev/v1alpha1"

// Scenario is one scenario file: the Scenario document plus its Kubernetes manifests.
type Scenario struct {
	// File is the path or name the scenario was read from, used in error messages.
	File        string
	Name        string
	Title       string
	Description string
	// TitleZh and DescriptionZh are the optional Simplified Chinese texts the page shows
	// with lang=zh (README "Languages"); empty means the English is shown.
	TitleZh       string
	DescriptionZh string
	// Seed seeds the random streams (pod name suffixes, UIDs, jitter) unless overridden.
	Seed uint64
	// Until is how long `kubesim run` simulates when no --until is given.
	Until api.Duration
	// Nodes are the cluster's nodes: the `nodes:` shorthand and any Node manifests.
	Nodes []*api.Node
	// Config holds the image behaviours (the `images:` section).
	Config *api.ClusterConfig
	// Manifests are the other Kubernetes objects, in file order. They are applied by the
	// timeline (`apply: all` or `apply: <kind>/<name>`), not before.
	Manifests []Manifest
	// Timeline is the list of actions, sorted by time (stable for equal times).
	Timeline []Step
	// Lesson is the file's `kind: Lesson` document, nil when it has none.
	Lesson *Lesson
}

// Manifest is one Kubernetes object from the file, with where it came from.
type Manifest struct {
	Object api.Object
	// Line is the 1-based line of the document's first line in the file.
	Line int
}

// Step is one timeline entry, compiled to an engine action command.
type Step struct {
	At api.Time
	// Command is the action: "apply all", "apply deployment/web", "kubectl scale ...",
	// "fail node/node-2", "recover node/node-2", "caption Some text".
	Command string
	// CaptionZh is a caption step's Simplified Chinese text (captionZh), shown by the page
	// with lang=zh; the trace keeps the English caption.
	CaptionZh string
	// Line is the 1-based line of the entry in the file.
	Line int
}
