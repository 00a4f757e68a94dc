package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Usage describes how much of one resource (CPU or memory) a container uses, as a function
// of how long the container has been running. It is written either as a quantity (a
// constant: `cpu: 200m`) or as an object:
//
//	{from: 100m, to: 800m, over: 2m}   a linear ramp from start, then flat at `to`
//	{from: 64Mi, leakPerMinute: 4Mi}   a leak: grows without bound
//
// Both can be combined. The value is exact integer arithmetic on milli-units, so it is a
// pure function of time and never needs a random stream.
type Usage struct {
	From          Quantity  `json:"from"`
	To            *Quantity `json:"to,omitempty"`
	Over          Duration  `json:"over,omitempty"`
	LeakPerMinute *Quantity `json:"leakPerMinute,omitempty"`
	// Noise varies CPU by up to this many percent either way, a different amount in every
	// 15 s metric window of every container, drawn from the run's seed (NoiseFactor).
	Noise int64 `json:"noise,omitempty"`
}

// At returns the usage in milli-units after the container ran for d.
func (u *Usage) At(d Duration) int64 {
	if u == nil {
		return 0
	}
	if d < 0 {
		d = 0
	}
	v := u.From.Milli
	if u.To != nil {
		if d >= u.Over {
			v = u.To.Milli
		} else {
			v += (u.To.Milli - u.From.Milli) * int64(d) / int64(u.Over)
		}
	}
	if u.LeakPerMinute != nil {
		v += u.LeakPerMinute.Milli * int64(d) / int64(Minute)
	}
	return max(v, 0)
}

// Integral returns the usage accumulated between ages a and b (a <= b), in milli-units times
// milliseconds: the exact area under At, which is linear between the end of a ramp and the
// ends of the interval (trapezoids in integer arithmetic, no floating point).
func (u *Usage) Integral(a, b Duration) int64 {
	if u == nil || b <= a {
		return 0
	}
	trap := func(x, y Duration) int64 { return (u.At(x) + u.At(y)) * int64(y-x) / 2 }
	if u.To != nil && a < u.Over && u.Over < b {
		return trap(a, u.Over) + trap(u.Over, b)
	}
	return trap(a, b)
}

// NoiseFactor scales an amount by the usage's noise for one container (key) in one metric
// window: a pure function of the seed, the key and the window, so that it is the same
// however the run reaches that window (snapshots, forks) and needs no random stream.
func (u *Usage) NoiseFactor(amount int64, seed uint64, key string, window int64) int64 {
	if u == nil || u.Noise == 0 {
		return amount
	}
	h := seed ^ uint64(window)*0x9e3779b97f4a7c15
	for i := 0; i < len(key); i++ {
		h = (h ^ uint64(key[i])) * 0x100000001b3
	}
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	k := int64(h % 2001) // 0..2000: -100%..+100% of the noise
	return amount * (100_000 + u.Noise*(k-1000)) / 100_000
}

// MarshalJSON writes the short form for a constant.
func (u Usage) MarshalJSON() ([]byte, error) {
	if u.To == nil && u.Over == 0 && u.LeakPerMinute == nil && u.Noise == 0 {
		return json.Marshal(u.From.String())
	}
	type plain Usage
	return json.Marshal(plain(u))
}

// UnmarshalJSON accepts a quantity or the object form, strictly.
func (u *Usage) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '{' {
		var q Quantity
		if err := q.UnmarshalJSON(b); err != nil {
			return fmt.Errorf("a usage is a quantity (200m, 128Mi) or {from, to, over, leakPerMinute}: %v", err)
		}
		*u = Usage{From: q}
		return nil
	}
	type plain Usage
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		msg := strings.TrimPrefix(err.Error(), "json: ")
		return fmt.Errorf("%s (allowed: from, to, over, leakPerMinute, noise)", msg)
	}
	if p.Over < 0 {
		return fmt.Errorf("over: must be a positive duration")
	}
	if p.Noise < 0 || p.Noise > 100 {
		return fmt.Errorf("noise: %d: must be a percentage between 0 and 100", p.Noise)
	}
	if (p.To == nil) != (p.Over == 0) {
		return fmt.Errorf("to and over go together: a ramp from `from` to `to` over a duration")
	}
	for _, q := range []*Quantity{&p.From, p.To, p.LeakPerMinute} {
		if q != nil && q.Milli < 0 {
			return fmt.Errorf("%s: must not be negative", q)
		}
	}
	*u = Usage(p)
	return nil
}

// Load is a stream of requests sent to the ready pods of a Service or a Deployment (or
// StatefulSet), spread evenly over them; every request per second costs each image's
// cpuPerRequest.
type Load struct {
	Namespace   string `json:"namespace,omitempty"`
	Service     string `json:"service,omitempty"`
	Deployment  string `json:"deployment,omitempty"`
	StatefulSet string `json:"statefulSet,omitempty"`
	// RPS is the request rate, in requests per second.
	RPS int64 `json:"rps"`
}

// Target returns "Kind/name" of the load's target and its namespace.
func (l *Load) Target() (kind, name string) {
	switch {
	case l.Service != "":
		return "Service", l.Service
	case l.Deployment != "":
		return "Deployment", l.Deployment
	case l.StatefulSet != "":
		return "StatefulSet", l.StatefulSet
	}
	return "", ""
}

// Check validates a load description, returning a message or "".
func (l *Load) Check() string {
	n := 0
	for _, s := range []string{l.Service, l.Deployment, l.StatefulSet} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		return fmt.Sprintf("a load names exactly one of service, deployment, statefulSet (found %d)", n)
	}
	if l.RPS < 0 || l.RPS > 10_000_000 {
		return fmt.Sprintf("rps: Invalid value: %d: must be between 0 and 10000000", l.RPS)
	}
	return ""
}

// NamespaceOrDefault is the load's namespace, "default" when unset.
func (l *Load) NamespaceOrDefault() string {
	if l.Namespace == "" {
		return "default"
	}
	return l.Namespace
}

// HasUsageModel reports whether the images or loads describe resource usage at all. Only
// then does the scenario parser install a metrics-server (MetricsServer): a cluster without
// one answers the Metrics API with NotFound, and scenarios without usage simulate exactly as
// they did before usage existed.
func (c *ClusterConfig) HasUsageModel() bool {
	if c == nil {
		return false
	}
	if len(c.Loads) > 0 || c.DefaultImage.hasUsage() {
		return true
	}
	for _, b := range c.Images {
		if b.hasUsage() {
			return true
		}
	}
	return false
}

func (b *ImageBehavior) hasUsage() bool {
	return b.CPU != nil || b.Memory != nil || b.CPUPerRequest != nil
}
