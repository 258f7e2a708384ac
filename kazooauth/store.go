package kazooauth

import "context"

// Store is everything the Verifier reads from KAZOO's CouchDB. Package
// couch implements it; tests use an in-memory fake. Implementations must
// be safe for concurrent use. They may cache, but a cache delays
// revocation (a changed signature secret, a deleted user) by its lifetime.
//
// "Missing" below means: the document does not exist or is soft-deleted
// (pvt_deleted: true). A missing document is reported with an error that
// wraps ErrNotFound (SigningKeyPEM: ErrUnknownKey or ErrNotFound); a
// document that exists but cannot be trusted, such as an account doc
// without a pvt_tree list, with an error that wraps ErrInvalidDoc; any
// other error means the store could not answer and makes the Verifier
// return ErrUnavailable.
type Store interface {
	// SigningKeyPEM returns the attachment private_key.pem of document
	// kid in database system_auth: an RSA private key, PKCS#1 ("RSA
	// PRIVATE KEY") as KAZOO writes it, or PKCS#8 ("PRIVATE KEY"). A
	// missing document or attachment is an error wrapping ErrUnknownKey.
	SigningKeyPEM(ctx context.Context, kid string) ([]byte, error)

	// CurrentKeyID returns default.system_key of document auth in
	// database system_config: the kid KAZOO signs new tokens with, "" when
	// unset. The Verifier asks only while it is refusing lookups of
	// uncached kids (see VerifierOptions.KeyLookupsPerSecond), at most
	// once a second, so that a freshly rotated key is not refused; a
	// cache here delays that by its lifetime.
	CurrentKeyID(ctx context.Context) (string, error)

	// SystemSignatureSecret returns default.secret_for_user_signature of
	// document auth in database system_config, as stored.
	SystemSignatureSecret(ctx context.Context) (string, error)

	// IdentitySecret returns pvt_signature_secret, as stored, of user
	// doc ownerID in accountID's database, or of the account doc
	// accountID when ownerID is "". It returns "" when the field is
	// absent (the Verifier then rejects the token; it never writes one).
	IdentitySecret(ctx context.Context, accountID, ownerID string) (string, error)

	// AccountTree returns pvt_tree of account accountID: its ancestors,
	// root (master) first, immediate parent last. It returns an empty,
	// non-nil slice only for the master account, whose doc holds an empty
	// pvt_tree list. A doc that is not an account (pvt_type) is missing;
	// one whose pvt_tree is absent, not a list, or holds anything but
	// other account ids is ErrInvalidDoc, never an empty tree: the
	// Verifier gives the master's admins rights over every account.
	AccountTree(ctx context.Context, accountID string) ([]string, error)

	// UserPrivLevel returns priv_level of user doc ownerID in accountID's
	// database: "admin" or "user". Any other value is treated as "user".
	UserPrivLevel(ctx context.Context, accountID, ownerID string) (string, error)
}

// Privilege levels of a KAZOO user (priv_level on the user doc).
const (
	PrivAdmin = "admin"
	PrivUser  = "user"
)
