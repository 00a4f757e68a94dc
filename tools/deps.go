//go:build tools

// Package tools pins modules that later packages use, so go.mod lists them from the start.
package tools

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/hajimehoshi/ebiten/v2"
	_ "github.com/tidwall/gjson"
	_ "go.yaml.in/yaml/v3"
	_ "sigs.k8s.io/yaml"
)
