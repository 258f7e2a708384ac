// Package app wires duo-kazoo together and runs it: configuration from the
// environment, the CouchDB client, the secrets keyring, the token
// verifier, the HTTP API and the AMQP consumer, with an orderly start and
// a graceful stop.
package app
