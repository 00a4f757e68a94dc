package api

import (
	"encoding/base64"
	"fmt"
	"regexp"
)

// ConfigMap and Secret: the API server's defaulting, validation and update rules, and the
// decoded view of their data the kubelet hands to containers.
//
// v1.37.2 references: pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret (stringData
// is merged into data on every write and never stored), pkg/apis/core/v1/defaults.go
// SetDefaults_Secret (type Opaque), pkg/apis/core/validation/validation.go ValidateConfigMap,
// ValidateSecret, ValidateConfigMapUpdate, ValidateSecretUpdate.

// immutableSetMsg is the refusal of a data change on an object with immutable: true.
const immutableSetMsg = "field is immutable when `immutable` is set"

// configKeyRe is apimachinery's IsConfigMapKey pattern.
var configKeyRe = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)

const configKeyMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' " +
	"(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

func init() {
	RegisterDefaults("Secret", func(o Object) { DefaultSecret(o.(*Secret)) })
	RegisterValidation("ConfigMap", func(o Object) ErrorList { return ValidateConfigMap(o.(*ConfigMap)) })
	RegisterValidation("Secret", func(o Object) ErrorList { return ValidateSecret(o.(*Secret)) })
	RegisterUpdateValidation("ConfigMap", func(n, o Object) ErrorList {
		nc, oc := n.(*ConfigMap), o.(*ConfigMap)
		return immutableData(oc.Immutable, nc.Immutable,
			[]string{"data", "binaryData"}, []map[string]string{nc.Data, nc.BinaryData}, []map[string]string{oc.Data, oc.BinaryData})
	})
	RegisterUpdateValidation("Secret", func(n, o Object) ErrorList {
		ns, os := n.(*Secret), o.(*Secret)
		var errs ErrorList
		if ns.Type != os.Type {
			errs = append(errs, Invalid("type", ns.Type, immutableMsg))
		}
		return append(errs, immutableData(os.Immutable, ns.Immutable,
			[]string{"data"}, []map[string]string{ns.Data}, []map[string]string{os.Data})...)
	})
}

// DefaultSecret merges stringData into data (base64, stringData wins) and defaults the type.
func DefaultSecret(s *Secret) {
	if len(s.StringData) > 0 {
		if s.Data == nil {
			s.Data = map[string]string{}
		}
		for k, v := range s.StringData {
			s.Data[k] = base64.StdEncoding.EncodeToString([]byte(v))
		}
		s.StringData = nil
	}
	if s.Type == "" {
		s.Type = "Opaque"
	}
}

// ConfigKeyErrors is apimachinery's IsConfigMapKey: why k is not a valid data key.
func ConfigKeyErrors(k string) []string {
	var errs []string
	if len(k) > 253 {
		errs = append(errs, "must be no more than 253 characters")
	}
	if !configKeyRe.MatchString(k) {
		errs = append(errs, configKeyMsg)
	}
	switch {
	case k == ".":
		errs = append(errs, `must not be '.'`)
	case k == "..":
		errs = append(errs, `must not be '..'`)
	case len(k) > 1 && k[:2] == "..":
		errs = append(errs, `must not start with '..'`)
	}
	return errs
}

func validateConfigKeys(path string, data map[string]string) ErrorList {
	var errs ErrorList
	for _, k := range SortedKeys(data) {
		for _, msg := range ConfigKeyErrors(k) {
			errs = append(errs, Invalid(path, k, msg))
		}
	}
	return errs
}

// validateConfigName is ValidateObjectMeta with ValidateConfigMapName / ValidateSecretName
// (NameIsDNSSubdomain).
func validateConfigName(name string) ErrorList {
	if name == "" {
		return ErrorList{Required("metadata.name", "name or generateName is required")}
	}
	return coreValidateDNS1123Subdomain("metadata.name", name)
}

// ValidateConfigMap checks the data keys and that no key is in both data and binaryData.
func ValidateConfigMap(c *ConfigMap) ErrorList {
	errs := validateConfigName(c.Name)
	errs = append(errs, validateConfigKeys("data", c.Data)...)
	errs = append(errs, validateConfigKeys("binaryData", c.BinaryData)...)
	for _, k := range SortedKeys(c.BinaryData) {
		if _, dup := c.Data[k]; dup {
			errs = append(errs, Invalid("data", k, "duplicate of key present in binaryData"))
		}
	}
	return errs
}

// ValidateSecret checks the data keys and that every value is base64 (upstream refuses the
// latter while decoding the request, "illegal base64 data at input byte N").
func ValidateSecret(s *Secret) ErrorList {
	errs := validateConfigName(s.Name)
	errs = append(errs, validateConfigKeys("data", s.Data)...)
	for _, k := range SortedKeys(s.Data) {
		if _, err := base64.StdEncoding.DecodeString(s.Data[k]); err != nil {
			errs = append(errs, Invalid(fmt.Sprintf("data[%s]", k), "(redacted)", err.Error()))
		}
	}
	return errs
}

// immutableData is the shared rule of ValidateConfigMapUpdate and ValidateSecretUpdate: once
// immutable is true it stays true and the data fields never change.
func immutableData(was, is *bool, paths []string, n, o []map[string]string) ErrorList {
	if was == nil || !*was {
		return nil
	}
	var errs ErrorList
	if is == nil || !*is {
		errs = append(errs, Forbidden("immutable", immutableSetMsg))
	}
	for i, p := range paths {
		if !semanticEqual(n[i], o[i]) {
			errs = append(errs, Forbidden(p, immutableSetMsg))
		}
	}
	return errs
}

// Values returns the ConfigMap's data as the kubelet sees it: data as is, binaryData decoded.
func (c *ConfigMap) Values() map[string]string {
	out := make(map[string]string, len(c.Data)+len(c.BinaryData))
	for k, v := range c.Data {
		out[k] = v
	}
	for k, v := range c.BinaryData {
		out[k] = decodeB64(v)
	}
	return out
}

// Values returns the Secret's data decoded (stringData merged first, for unwritten objects).
func (s *Secret) Values() map[string]string {
	out := make(map[string]string, len(s.Data)+len(s.StringData))
	for k, v := range s.Data {
		out[k] = decodeB64(v)
	}
	for k, v := range s.StringData {
		out[k] = v
	}
	return out
}

func decodeB64(v string) string {
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return v // refused on write; kept readable for objects built in Go
	}
	return string(b)
}
