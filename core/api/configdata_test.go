package api

import (
	"strings"
	"testing"
)

// Convert_v1_Secret_To_core_Secret: stringData is merged into data (winning) and not stored.
func TestSecretStringDataMerged(t *testing.T) {
	s := &Secret{TypeMeta: TypeMeta{Kind: "Secret"}, Data: map[string]string{"a": "b2xk", "b": "Yg=="},
		StringData: map[string]string{"a": "new"}}
	Default(s)
	if s.StringData != nil || s.Data["a"] != "bmV3" || s.Data["b"] != "Yg==" || s.Type != "Opaque" {
		t.Errorf("after defaulting: %+v", s)
	}
	if v := s.Values(); v["a"] != "new" || v["b"] != "b" {
		t.Errorf("values = %v", v)
	}
}

// ValidateConfigMapUpdate / ValidateSecretUpdate: immutable objects keep their data.
func TestImmutableConfigRefusesUpdates(t *testing.T) {
	old := &ConfigMap{TypeMeta: TypeMeta{Kind: "ConfigMap"}, ObjectMeta: ObjectMeta{Name: "c"},
		Data: map[string]string{"k": "v"}, Immutable: Ptr(true)}
	next := Clone(old)
	next.Data = map[string]string{"k": "w"}
	err := InvalidObjectError("ConfigMap", "c", ValidateUpdate(next, old))
	if err == nil || err.Error() != "The ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set" {
		t.Errorf("data change: %v", err)
	}
	next = Clone(old)
	next.Immutable = nil
	if errs := ValidateUpdate(next, old); len(errs) != 1 || errs[0].Path != "immutable" {
		t.Errorf("unsetting immutable: %v", errs)
	}
	next = Clone(old)
	next.Labels = map[string]string{"a": "b"}
	if errs := ValidateUpdate(next, old); len(errs) != 0 {
		t.Errorf("metadata change refused: %v", errs)
	}
	sOld := &Secret{TypeMeta: TypeMeta{Kind: "Secret"}, ObjectMeta: ObjectMeta{Name: "s"}, Type: "Opaque",
		Data: map[string]string{"k": "dg=="}, Immutable: Ptr(true)}
	sNext := Clone(sOld)
	sNext.StringData = map[string]string{"k": "x"}
	Default(sNext)
	if errs := ValidateUpdate(sNext, sOld); len(errs) != 1 || errs[0].Path != "data" {
		t.Errorf("secret data change: %v", errs)
	}
}

func TestConfigKeysValidated(t *testing.T) {
	c := &ConfigMap{TypeMeta: TypeMeta{Kind: "ConfigMap"}, ObjectMeta: ObjectMeta{Name: "c"}, Data: map[string]string{"bad key": "v", "ok.key": "v"}}
	errs := Validate(c)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `data: Invalid value: "bad key": a valid config key`) {
		t.Errorf("errs = %v", errs)
	}
	s := &Secret{TypeMeta: TypeMeta{Kind: "Secret"}, ObjectMeta: ObjectMeta{Name: "Bad_Name"}, Data: map[string]string{"k": "not base64!"}}
	if errs := Validate(s); len(errs) != 2 || errs[0].Path != "metadata.name" || errs[1].Path != "data[k]" {
		t.Errorf("errs = %v", errs)
	}
}
