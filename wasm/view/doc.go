// Package view is the page's presentation model: it turns the cluster's state at the
// displayed time (and the past trace, for the replica chart) into a Frame of rectangles,
// lines and text with hit regions, laid out for a canvas of a given size. It knows nothing of
// Ebiten or the browser, so it is tested on the host; wasm/ only draws Frames.
//
// Colours follow the kubectl STATUS column with the Okabe-Ito colour-blind-safe palette, and
// every status also has a second cue that survives greyscale: an icon drawn from lines
// (check, cross, arrow, dots, exclamation mark) and, for Terminating and image-pull errors, a
// hatch pattern; Pending pods have a dashed outline.
package view
