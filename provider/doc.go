// Package provider is the Duo configuration: a KAZOO multi_factor provider
// document (pvt_type "provider", pvt_provider_type "multi_factor",
// provider_name "duo" or "duo_universal"), its validation, the API's views
// of it, and the encryption of its secrets through package secrets. It is
// pure logic: no storage, no HTTP.
//
// Documents are generic JSON ([Doc]), so every field this package does not
// know, at the top level or inside settings, survives every operation as
// KAZOO keeps it.
//
// # Request flow
//
// The HTTP layer strings the operations together; the store (couch) reads
// and writes the documents:
//
//	create (PUT):    in := Decode(data); d := New(in, meta)
//	replace (POST):  in := Decode(data); d := Replace(Open(stored), in)
//	merge (PATCH):   in := Decode(data); d := Merge(Open(stored), in)
//	then:            Validate(d, otherNames) -> 400 with the Problems, or
//	                 Seal(d, ring, account, id) -> save
//	read (GET):      Public(stored)         (sealed secrets are fine here)
//	list:            Summary(stored) per document
//	use (mfa):       ParseConfig(Open(stored))
//
// Secrets (secret_key, application_secret_key, client_secret) are write
// only. [Public] replaces each by a "<name>_set" boolean. A secret that a
// POST or PATCH omits, or sends as "", keeps its stored value, so a form
// can leave secret fields blank; null removes it. Because Replace and Merge
// run before Validate, the document validated is the one to be stored.
//
// # Validation
//
// [Validate] reports every problem at once as [Problems], crossbar's 400
// data: field path, then jesse-style rule name (required, type, minLength,
// maxLength, pattern, format, enum, minimum, maximum, minItems,
// uniqueItems, unique), then a [Problem] whose Key and Params allow a
// translation of its English Message ([Messages] lists the templates).
// Fields of the wrong type are problems, not decoding errors.
//
// Choices made here, beyond what KAZOO checks:
//
//   - null and "" count as absent, for every field.
//   - Keys and secrets must be printable ASCII without spaces or '|'.
//   - A secret must not start with "dk1:", the prefix of sealed values
//     (package secrets): such a value would be taken for an encrypted one.
//   - api_hostname is a host name or IP address with an optional port,
//     without scheme, path or user info. A DNS name needs at least two
//     labels (Duo's are api-XXXXXXXX.duosecurity.com); "localhost" is
//     allowed for local simulators. So the quick-start guide's "jdkfl" is
//     rejected with a message naming the expected shape.
//   - redirect_uri must be https, except http to localhost or a loopback
//     address, for development.
//   - factors, when present, is a non-empty list of distinct values among
//     push, sms, phone and passcode; absent means all four (what Duo's
//     device capabilities then narrow down).
//   - name is unique in the account, ignoring case and surrounding spaces
//     ([NameKey]); the caller passes the other configurations' names.
//
// # Defaults
//
// Optional settings are not written into documents: [ParseConfig] applies
// the defaults (duo_expire 300, app_expire 3600, failmode "secure",
// factors all, username_source "owner_id", lockout 5 failures in 900 s
// lock for 900 s) and [DefaultSettings] shows them. [New] does store
// enabled true and provider_name "duo" when a new document omits them, so
// that KAZOO, which reads an absent enabled as false, sees what was meant.
package provider
