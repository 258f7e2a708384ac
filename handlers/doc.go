// Package handlers is duo-kazoo's HTTP API: KAZOO's account API
// conventions (crossbar envelope, X-Auth-Token, CORS for Monster-UI) over
// the Duo configurations, the credential check, the failure logs and
// KAZOO's own multi_factor shapes.
//
// Handlers return errors; one adapter (respond.go) turns an error into the
// crossbar error envelope with a stable status and message, logs the
// cause, and never shows a secret or an internal detail to the client.
package handlers
