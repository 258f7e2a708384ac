package provider

// Public returns the API view of a document (the "data" of a GET): a deep
// copy without _rev, other "_" fields and pvt_* fields, with "id" set to
// _id, and with each secret setting removed and replaced by the read-only
// indicator "<secret>_set" (secret_key_set, application_secret_key_set,
// client_secret_set): true when the secret holds a non-empty value,
// sealed or not. All three indicators are always present.
//
// Values are shown as stored: defaults of absent settings are not filled
// in (see DefaultSettings), so that what a client reads and writes back is
// what is stored. A settings value that is not an object is replaced by
// the indicators alone, so no secret can leak through a malformed document.
func Public(d Doc) map[string]any {
	out := make(map[string]any, len(d)+1)
	for k, v := range d {
		if isPrivate(k) {
			continue
		}
		out[k] = cloneValue(v)
	}
	if id := d.ID(); id != "" {
		out["id"] = id
	}

	settings, ok := asObject(out["settings"])
	if !ok {
		settings = map[string]any{}
		out["settings"] = settings
	}
	for _, f := range secretFields {
		s, _ := settings[f].(string)
		settings[f+setSuffix] = s != ""
		delete(settings, f)
	}
	return out
}

// Configured is one entry of a listing, as KAZOO's GET /multi_factor
// lists "configured" providers.
type Configured struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ProviderName string `json:"provider_name"`
	ProviderType string `json:"provider_type"` // always "multi_factor"
	Enabled      bool   `json:"enabled"`
}

// Summary returns the listing entry of a document. Enabled is false when
// the document does not say, as KAZOO reads it.
func Summary(d Doc) Configured {
	return Configured{
		ID:           d.ID(),
		Name:         d.Name(),
		ProviderName: d.ProviderName(),
		ProviderType: ProviderType,
		Enabled:      d.Enabled(),
	}
}

// DefaultSettings returns the values that apply to optional settings a
// document omits, in the documents' own shape, for clients that display
// them. Documents are never filled with them.
func DefaultSettings() map[string]any {
	factors := make([]any, len(allFactors))
	for i, f := range allFactors {
		factors[i] = f
	}
	return map[string]any{
		"duo_expire":      DefaultDuoExpire,
		"app_expire":      DefaultAppExpire,
		"failmode":        DefaultFailmode,
		"factors":         factors,
		"username_source": DefaultUsernameSource,
		"lockout": map[string]any{
			"max_failures": DefaultMaxFailures,
			"window_s":     DefaultWindow,
			"duration_s":   DefaultDuration,
		},
	}
}
