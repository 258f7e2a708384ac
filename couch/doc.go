// Package couch is duo-kazoo's access to KAZOO's CouchDB, through kivik.
//
// It speaks KAZOO's vocabulary: account databases named from account ids
// (account/XX/YY/REST, URL-encoded on the wire by the driver), monthly
// databases (MODbs) computed from an account id and a month, never found
// by listing databases, the accounts aggregate, system_auth signing keys
// and system_config documents, and documents carrying KAZOO's pvt_*
// fields.
//
// Errors from the driver are mapped to the sentinels in errors.go so that
// callers branch with errors.Is (a missing document, a revision conflict, a
// server that cannot be reached) and never on error text.
package couch
