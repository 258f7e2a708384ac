package provider

import "time"

// GregorianOffset is the number of seconds from year 0 to the Unix epoch:
// KAZOO timestamps are Unix seconds plus this.
const GregorianOffset = 62167219200

// Gregorian returns t as KAZOO's Gregorian seconds.
func Gregorian(t time.Time) int64 { return t.Unix() + GregorianOffset }

// Meta is what New needs besides the client's data: where the document
// lives and when it is created.
type Meta struct {
	AccountID string    // pvt_account_id: 32 hex characters
	AccountDB string    // pvt_account_db, e.g. "account%2Fab%2Fcd%2F..."
	ID        string    // _id of the new document
	Now       time.Time // pvt_created and pvt_modified
}

// New builds a new provider document from decoded client data: a deep
// copy without client-forbidden fields (see Decode), with _id and KAZOO's
// private fields set from m (pvt_type "provider", pvt_provider_type
// "multi_factor", pvt_account_id, pvt_account_db, pvt_created and
// pvt_modified as Gregorian seconds, pvt_vsn "1").
//
// Creation defaults, stored so that KAZOO reads the document the same way:
// enabled is true and provider_name is "duo" when the client omits them
// (the Settings form has neither). Secrets given as "" are dropped.
// incoming is not modified.
func New(incoming Doc, m Meta) Doc {
	out := sanitize(incoming)
	if v, ok := out["enabled"]; !ok || v == nil {
		out["enabled"] = true
	}
	if v, ok := out["provider_name"]; !ok || v == nil || v == "" {
		out["provider_name"] = ProviderDuo
	}
	dropEmptySecrets(out)

	now := Gregorian(m.Now)
	out["_id"] = m.ID
	out["pvt_type"] = PvtType
	out["pvt_provider_type"] = ProviderType
	out["pvt_account_id"] = m.AccountID
	out["pvt_account_db"] = m.AccountDB
	out["pvt_created"] = now
	out["pvt_modified"] = now
	out["pvt_vsn"] = SchemaVersion
	return out
}

// Replace is POST: the result is incoming (unknown fields included) with
// the stored document's private fields (_id, _rev, pvt_* and any other
// "_" field), and with each secret setting that incoming omits or gives as
// "" kept from stored (also when settings is absent or null); a secret
// given as null is removed. Other stored fields that incoming omits are
// gone. Neither argument is modified; pass stored with its secrets opened,
// then Validate the result. pvt_modified is left for the store to refresh
// on save.
func Replace(stored, incoming Doc) Doc {
	out := sanitize(incoming)
	for k, v := range stored {
		if isPrivate(k) {
			out[k] = cloneValue(v)
		}
	}

	if v, given := out["settings"]; given && v == nil {
		delete(out, "settings") // null counts as absent
	}
	old := stored.Settings()
	settings, isObject := asObject(out["settings"])
	if _, given := out["settings"]; given && !isObject {
		return out // Validate reports the type; nothing to keep into.
	}
	for _, f := range secretFields {
		v, has := settings[f]
		switch {
		case has && v == nil:
			delete(settings, f)
		case (!has || v == "") && old[f] != nil && old[f] != "":
			if settings == nil {
				settings = map[string]any{}
				out["settings"] = settings
			}
			settings[f] = cloneValue(old[f])
		case has && v == "":
			delete(settings, f)
		}
	}
	return out
}

// Merge is PATCH: patch is merged into a deep copy of stored as a JSON
// Merge Patch (RFC 7396), which is KAZOO's PATCH-then-validate: objects
// merge key by key at every depth, null removes a key, anything else
// (arrays included) replaces the stored value. Fields a client may not set
// (see Decode) are ignored, and a secret given as "" is left as stored.
// Neither argument is modified; pass stored with its secrets opened, then
// Validate the result. pvt_modified is left for the store to refresh.
func Merge(stored, patch Doc) Doc {
	out := stored.Clone()
	if out == nil {
		out = Doc{}
	}
	p := sanitize(patch)
	if s, ok := asObject(p["settings"]); ok {
		for _, f := range secretFields {
			if s[f] == "" {
				delete(s, f)
			}
		}
	}
	mergeInto(out, p)
	return out
}

// mergeInto applies patch to dst in place, per RFC 7396. Values taken from
// patch are already private copies.
func mergeInto(dst, patch map[string]any) {
	for k, v := range patch {
		if v == nil {
			delete(dst, k)
			continue
		}
		pObj, pIsObj := asObject(v)
		if !pIsObj {
			dst[k] = v
			continue
		}
		dObj, dIsObj := asObject(dst[k])
		if !dIsObj {
			dObj = map[string]any{}
			dst[k] = dObj
		}
		mergeInto(dObj, pObj)
	}
}

// dropEmptySecrets removes secret settings given as "" or null.
func dropEmptySecrets(d Doc) {
	s := d.Settings()
	for _, f := range secretFields {
		if v, ok := s[f]; ok && (v == nil || v == "") {
			delete(s, f)
		}
	}
}
