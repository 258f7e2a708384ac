// Package e2e holds the end-to-end tests of the second factor: a whole
// replica (app.Run) on the real RabbitMQ and CouchDB-API server, asked
// over AMQP the way KAZOO's login path asks, against the Duo simulator,
// with every failure checked in the Failure Logs API.
package e2e
