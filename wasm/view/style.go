package view

import "strings"

// Theme is a palette for the canvas.
type Theme struct {
	Bg, Card, CardStroke, Ink, Muted, Faint, Accent, Selected Color
	Chip                                                      Color // chip text
	Dark                                                      bool
}

// Light and Dark are the two themes (theme=light|dark in the URL).
var (
	Light = Theme{Bg: RGB(0xffffff), Card: RGB(0xf6f7f9), CardStroke: RGB(0x8a93a3), Ink: RGB(0x111418),
		Muted: RGB(0x4a5160), Faint: RGB(0xd5d9e0), Accent: RGB(0x0072b2), Selected: RGB(0x000000), Chip: RGB(0x111418)}
	Dark = Theme{Bg: RGB(0x11151c), Card: RGB(0x1b212b), CardStroke: RGB(0x5a6577), Ink: RGB(0xf2f4f8),
		Muted: RGB(0xb4bcc8), Faint: RGB(0x333b48), Accent: RGB(0x56b4e9), Selected: RGB(0xffffff), Chip: RGB(0x111418), Dark: true}
)

// Status is the class of a pod's kubectl STATUS column the page colours by.
type Status uint8

// Statuses, in legend order.
const (
	Ready Status = iota
	NotReady
	Creating
	Pending
	Terminating
	CrashLoop
	ImagePull
	Completed
	Failed
	Unknown
	numStatus
)

// Icon is the shape drawn in a chip's corner: the second cue besides colour.
type Icon uint8

// Icons.
const (
	IconCheck Icon = iota
	IconDots
	IconArrow
	IconClock
	IconCross
	IconBang
	IconSquare
)

// StatusStyle is how one status class looks.
type StatusStyle struct {
	Label   string
	Fill    Color
	Stroke  Color
	Pattern Pattern
	Dashed  bool
	Icon    Icon
}

// Okabe-Ito colours: bluish green, yellow, sky blue, grey, orange, vermillion, reddish
// purple, blue; fills are light tints so black text stays readable, strokes the full colour.
var styles = [numStatus]StatusStyle{
	Ready:       {"Ready", RGB(0x9fe0c9), RGB(0x007a5a), Solid, false, IconCheck},
	NotReady:    {"Running, not ready", RGB(0xf7f09a), RGB(0x8c8200), Solid, false, IconDots},
	Creating:    {"Creating", RGB(0xb6dcf5), RGB(0x2a7fb8), Solid, false, IconArrow},
	Pending:     {"Pending", RGB(0xe4e6ea), RGB(0x6b7280), Solid, true, IconClock},
	Terminating: {"Terminating", RGB(0xf5d595), RGB(0xb57c00), Hatch, false, IconCross},
	CrashLoop:   {"CrashLoopBackOff / Error", RGB(0xf2b38f), RGB(0xb34700), Solid, false, IconBang},
	ImagePull:   {"ErrImagePull / BackOff", RGB(0xeab8d6), RGB(0x9c3d78), Cross, false, IconBang},
	Completed:   {"Completed", RGB(0xa9c9e8), RGB(0x0072b2), Solid, false, IconSquare},
	Failed:      {"Error", RGB(0xf2b38f), RGB(0xb34700), Solid, false, IconBang},
	Unknown:     {"Unknown", RGB(0xb9bcc2), RGB(0x3b3f46), Hatch, true, IconClock},
}

// Style returns the look of a status class.
func Style(s Status) StatusStyle { return styles[s] }

// Classify maps the kubectl STATUS column (and READY) to a status class.
func Classify(status string, ready, terminating bool) Status {
	switch {
	case terminating || status == "Terminating":
		return Terminating
	case status == "Running" && ready:
		return Ready
	case status == "Running":
		return NotReady
	case status == "ContainerCreating" || status == "PodInitializing" || strings.HasPrefix(status, "Init:") && !strings.Contains(status, "Err") && !strings.Contains(status, "BackOff"):
		return Creating
	case status == "Pending" || status == "SchedulingGated":
		return Pending
	case strings.Contains(status, "ImagePull") || strings.Contains(status, "ErrImage") || strings.Contains(status, "InvalidImageName"):
		return ImagePull
	case strings.Contains(status, "CrashLoopBackOff") || status == "OOMKilled" || strings.Contains(status, "Error"):
		return CrashLoop
	case status == "Completed" || status == "Succeeded":
		return Completed
	case status == "Failed" || status == "Evicted":
		return Failed
	}
	return Unknown
}
