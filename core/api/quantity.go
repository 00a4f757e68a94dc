package api

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Quantity is a resource amount as written in a manifest ("500m", "1", "128Mi"). It keeps the
// original text and its value in thousandths (milli-units), which is exact for CPU and for
// every memory amount the simulator meets.
type Quantity struct {
	Text  string
	Milli int64
}

var quantitySuffixes = map[string]*big.Rat{
	"n": big.NewRat(1, 1_000_000_000), "u": big.NewRat(1, 1_000_000), "m": big.NewRat(1, 1000), "": big.NewRat(1, 1),
	"k": big.NewRat(1_000, 1), "M": big.NewRat(1_000_000, 1), "G": big.NewRat(1_000_000_000, 1),
	"T": big.NewRat(1_000_000_000_000, 1), "P": big.NewRat(1_000_000_000_000_000, 1),
	"Ki": big.NewRat(1<<10, 1), "Mi": big.NewRat(1<<20, 1), "Gi": big.NewRat(1<<30, 1),
	"Ti": big.NewRat(1<<40, 1), "Pi": big.NewRat(1<<50, 1),
}

// ErrQuantityFormat is the upstream message for a malformed quantity.
const ErrQuantityFormat = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

// ParseQuantity parses a Kubernetes quantity.
func ParseQuantity(s string) (Quantity, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] == '+' || t[i] == '-' || t[i] == '.' || (t[i] >= '0' && t[i] <= '9')) {
		i++
	}
	num, suffix := t[:i], t[i:]
	mult, ok := quantitySuffixes[suffix]
	if num == "" || !ok {
		if strings.ContainsAny(suffix, "eE") && num != "" {
			if f, err := strconv.ParseFloat(t, 64); err == nil {
				return Quantity{Text: s, Milli: int64(f * 1000)}, nil
			}
		}
		return Quantity{}, fmt.Errorf("%s", ErrQuantityFormat)
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return Quantity{}, fmt.Errorf("%s", ErrQuantityFormat)
	}
	r.Mul(r, mult)
	r.Mul(r, big.NewRat(1000, 1))
	// Round up like upstream's MilliValue does for sub-milli amounts.
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if new(big.Rat).SetInt(q).Cmp(r) < 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return Quantity{}, fmt.Errorf("quantity %q is too large", s)
	}
	return Quantity{Text: s, Milli: q.Int64()}, nil
}

// MustQuantity parses s or panics; for tests and literals.
func MustQuantity(s string) Quantity {
	q, err := ParseQuantity(s)
	if err != nil {
		panic(err)
	}
	return q
}

// Value is the amount in whole units (bytes for memory), rounded up.
func (q Quantity) Value() int64 { return (q.Milli + 999) / 1000 }

// IsZero reports whether the quantity is unset or zero.
func (q Quantity) IsZero() bool { return q.Milli == 0 }

// String returns the text as written, or a canonical form when built in code.
func (q Quantity) String() string {
	if q.Text != "" {
		return q.Text
	}
	if q.Milli%1000 == 0 {
		return strconv.FormatInt(q.Milli/1000, 10)
	}
	return strconv.FormatInt(q.Milli, 10) + "m"
}

// MarshalJSON implements json.Marshaler.
func (q Quantity) MarshalJSON() ([]byte, error) { return json.Marshal(q.String()) }

// UnmarshalJSON implements json.Unmarshaler; numbers are accepted like upstream.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		s = string(b)
	}
	v, err := ParseQuantity(s)
	if err != nil {
		return err
	}
	*q = v
	return nil
}

// ResourceList maps a resource name ("cpu", "memory", "pods", "storage") to an amount.
type ResourceList map[string]Quantity

// Common resource names.
const (
	ResourceCPU     = "cpu"
	ResourceMemory  = "memory"
	ResourcePods    = "pods"
	ResourceStorage = "storage"
)
