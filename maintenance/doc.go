// Package maintenance holds the operator's batch jobs over every account:
// Migrate adopts an existing KAZOO (installs this module's design docs,
// validates KAZOO's multi_factor provider documents, seals plaintext
// secrets) and RotateKey re-seals every stored secret under the primary
// key. cmd/duo-kazoo runs them as `duo-kazoo migrate` and
// `duo-kazoo rotate-key`.
//
// # Walking a KAZOO
//
// Accounts come from the accounts database, paged through _all_docs with
// include_docs (documents with pvt_type "account" and a KAZOO account id);
// databases are never listed. In each account database the provider
// documents are found through this module's providers view (installed
// first, see couch.ProvidersDesign). A dry run changes nothing, so it does
// not install the view: it reads the account database's _all_docs instead
// and keeps the documents the view would list (multi_factor providers
// that are not soft-deleted).
//
// # Safe to interrupt and rerun
//
// Every document is written on its own, with its revision: a document
// changed meanwhile (409) is read again and decided again, up to five
// times. Work already done is not redone: a rerun finds those documents
// in their final form and leaves them alone. Cancelling the context stops
// the walk after the document in progress; the report then says how far
// it went and the error wraps ErrInterrupted.
//
// # What is reported
//
// A Report lists each provider document visited with what happened to it
// (an Action), validation problems as field paths and rule names, and
// errors whose texts name fields and keys, never values. No secret is
// ever put in a report, a progress update or an error.
//
// When a migration completes, it records the design doc versions it
// installed in system_config (document "duo_kazoo.maintenance");
// DesignStatus reads that record for the replicas' readiness check.
package maintenance
