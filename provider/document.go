package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Doc is a provider document as generic JSON values: objects are
// map[string]any, arrays []any, numbers json.Number (from Decode) or
// float64 (from other decoders), plus string, bool and nil. Working on the
// generic form keeps every field this package does not know, at the top
// level and inside settings, as KAZOO does.
type Doc map[string]any

// Provider names (provider_name) and KAZOO's document markers.
const (
	// ProviderDuo is Duo Web SDK v2, KAZOO's own Duo provider.
	ProviderDuo = "duo"
	// ProviderUniversal is Duo's Universal Prompt (OIDC).
	ProviderUniversal = "duo_universal"

	// PvtType is the pvt_type of provider documents.
	PvtType = "provider"
	// ProviderType is their pvt_provider_type, and provider_type in listings.
	ProviderType = "multi_factor"
	// SchemaVersion is the pvt_vsn written by New.
	SchemaVersion = "1"
)

// Setting names of secrets: write-only, sealed at rest, never in Public.
const (
	SecretKey            = "secret_key"
	ApplicationSecretKey = "application_secret_key"
	ClientSecret         = "client_secret"
)

// secretFields lists the secret settings, in a fixed order.
var secretFields = []string{SecretKey, ApplicationSecretKey, ClientSecret}

// SecretFields returns the names of the secret settings.
func SecretFields() []string { return append([]string(nil), secretFields...) }

// setSuffix names the read-only indicator Public puts beside each secret.
const setSuffix = "_set"

// ID returns the document's _id, or "".
func (d Doc) ID() string { s, _ := d["_id"].(string); return s }

// Rev returns the document's _rev, or "".
func (d Doc) Rev() string { s, _ := d["_rev"].(string); return s }

// Name returns the name, or "" when absent or not a string.
func (d Doc) Name() string { s, _ := d["name"].(string); return s }

// ProviderName returns provider_name, or "" when absent or not a string.
func (d Doc) ProviderName() string { s, _ := d["provider_name"].(string); return s }

// Enabled reports whether enabled is true. Absent means false, as KAZOO
// reads it; New stores true when a new document does not say.
func (d Doc) Enabled() bool { b, _ := d["enabled"].(bool); return b }

// Settings returns the settings object, or nil when absent or not an
// object. It is the document's own map, not a copy.
func (d Doc) Settings() map[string]any {
	m, _ := asObject(d["settings"])
	return m
}

// Clone returns a deep copy of d.
func (d Doc) Clone() Doc {
	if d == nil {
		return nil
	}
	return Doc(cloneObject(d))
}

// Decode reads a request's data object (the JSON of the envelope's "data"
// member). Only malformed JSON (ErrSyntax) and a non-object (ErrNotObject)
// fail; fields of the wrong type are kept for Validate to report with
// their paths. Fields a client may not set are dropped: top-level keys
// starting with "_" or "pvt_", "id" (the URL names the document), and
// the settings indicators "<secret>_set" that Public adds.
func Decode(data []byte) (Doc, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	if err := dec.Decode(new(any)); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the JSON value", ErrSyntax)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, ErrNotObject
	}
	return sanitize(obj), nil
}

// isPrivate reports whether a top-level key belongs to the store, not the
// client: CouchDB's "_" fields and KAZOO's "pvt_" fields.
func isPrivate(k string) bool {
	return strings.HasPrefix(k, "_") || strings.HasPrefix(k, "pvt_")
}

// sanitize returns a deep copy of a client document without the fields a
// client may not set (see Decode).
func sanitize(in map[string]any) Doc {
	out := make(Doc, len(in))
	for k, v := range in {
		if isPrivate(k) || k == "id" {
			continue
		}
		out[k] = cloneValue(v)
	}
	if s, ok := asObject(out["settings"]); ok {
		for _, f := range secretFields {
			delete(s, f+setSuffix)
		}
	}
	return out
}

func cloneObject(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return cloneObject(t)
	case Doc:
		return Doc(cloneObject(t))
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = cloneValue(e)
		}
		return out
	case []string:
		return append([]string(nil), t...)
	}
	return v
}
