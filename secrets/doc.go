// Package secrets encrypts the Duo secrets of provider documents at rest
// (secret_key, application_secret_key, client_secret) with AES-256-GCM.
//
// # Stored form
//
// A sealed value is one printable string, so a provider document keeps
// KAZOO's shape (the field is still a string):
//
//	dk1:<key id>:<payload>
//
// where:
//
//   - "dk1" names this format (version 1). Any value starting with "dk1:" is
//     treated as sealed; see [IsSealed].
//   - <key id> is 8 lowercase hex characters: the first 4 bytes of
//     SHA-256("duo-kazoo/secrets/key-id\x00" || key). It tells which key of
//     a [Keyring] sealed the value, so old keys can be found and rotated out.
//     It reveals nothing useful about the key.
//   - <payload> is unpadded base64url (RFC 4648 §5) of nonce || ciphertext ||
//     tag: a random 96-bit nonce drawn for every seal, then the GCM output
//     (ciphertext as long as the plaintext, 16-byte tag).
//
// The additional authenticated data binds the value to where it is stored:
// the format name, the key id, and the [Binding]'s account id, document id
// and field name, each length-prefixed so no two bindings encode alike.
// A sealed value copied into another account, another document or another
// field (a sealed skey pasted into client_secret) fails to open with
// [ErrDecrypt], as does any change to a single character.
//
// # Keys and the key file
//
// Keys are 32 random bytes ([GenerateKey]). A key file ([LoadKeyFile],
// [ParseKeyFile]) holds one key per line, as standard or URL-safe base64
// (padded or not) or as 64 hex digits. Blank lines and lines starting with
// "#" are ignored. The first key is the primary: it seals every new value.
// The keys after it are old keys, kept only so that values sealed with them
// still open. [EncodeKey] writes a key in the file's preferred form.
//
// Rotation: put a new key on the first line and move the previous primary
// below it; restart; re-seal every stored value for which
// [Keyring.NeedsRotation] reports true (open it, seal it again); then drop
// the old key from the file.
//
// # Modes
//
// [Encrypted] (the default) seals values as above. [Plaintext] is an
// explicit opt-in for deployments where stock KAZOO must read the secrets
// from the provider documents itself: [Keyring.Seal] then returns the
// plaintext unchanged. In both modes [Keyring.Open] accepts sealed values
// and plaintext values (a value without the "dk1:" prefix is returned as
// it is), so switching mode in either direction never makes stored data
// unreadable; [Keyring.NeedsRotation] reports the values whose stored form
// differs from what the current mode writes, so a re-seal pass converts
// them.
//
// Accepting plaintext in Encrypted mode is deliberate: documents written
// by KAZOO's own crossbar, or before encryption was turned on, hold plain
// secrets. The encryption protects the secrets' confidentiality at rest
// (database files, backups, replicas, read-only access); it does not
// authenticate the rest of a document, so someone able to write the
// database could change a configuration whether or not plaintext is
// accepted.
//
// A [Keyring] is immutable once built and safe for concurrent use. No
// error of this package contains key material, plaintext or ciphertext.
package secrets
