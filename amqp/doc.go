// Package amqp is the AMQP transport of the module: it receives KAZOO's
// second-factor requests and login attempt events from RabbitMQ, hands
// them to a Handler (the domain, package mfa) and publishes the replies.
//
// # Messages
//
// KAZOO messages are JSON objects with the headers flat in the body
// (Envelope). Request (mfa_req, answered with a Reply, mfa_resp) and
// AttemptEvent (login_attempt, recorded, never answered) document their
// fields; ParseRequest, ParseReply and ParseAttempt validate a body and
// list every bad field in a *ValidationError. Bodies are bounded
// (MaxBodyBytes, MaxDepth, valid UTF-8) before they are decoded, so hostile
// input costs little and never panics.
//
// # Topology
//
// Topology names what the module declares on every (re)connect: KAZOO's
// kapps (topic) and targeted (direct) exchanges, declared as KAZOO does
// (durable=false, auto_delete=false), a durable queue bound to kapps with
// "mfa.req.*" and "mfa.attempt.*", and a dead-letter exchange and queue of
// its own. Replies go to targeted with the request's Server-ID as routing
// key.
//
// # Delivery
//
// The Consumer acks a message only after its work is done: a request once
// its reply is confirmed by the broker, an event once HandleAttempt
// returned nil. It dead-letters what cannot be answered (not JSON, too big,
// no Server-ID or Msg-ID, an invalid attempt event, a Permanent handler
// error), answers an invalid request that names its Server-ID and Msg-ID
// with an error reply, and requeues an event whose handler failed
// temporarily after a growing delay (Config.Retry) without holding a
// worker. Delivery is at least once: after a lost connection or a requeue
// the same message comes again, to this replica or another; Redelivered is
// set then, and the domain derives its ids from Msg-ID so that nothing is
// stored twice.
//
// # Long waits
//
// A Duo push keeps its handler waiting up to a minute. Requests that the
// SlowLane picks (by default Factor auto, push or phone) run on their own
// pool (SlowLane.Workers, default 32), so they never hold the main pool
// (Workers, default 8) that answers prompt challenges, verifications and
// attempt events. Prefetch is kept at least as large as both pools
// together so that neither starves while the other is busy. Slow requests
// beyond the slow pool wait in the prefetch window, and once they fill it
// (more than Prefetch - Workers of them outstanding) every message behind
// them waits at the broker too: size SlowLane.Workers for the peak of
// concurrent pushes (a blocked handler costs a goroutine, not a thread),
// or run more replicas. The mfa layer should not spawn
// goroutines that outlive HandleRequest: the reply is whatever it returns,
// and Stop only waits for handlers it knows about.
//
// # Connections
//
// The Consumer connects in the background and reconnects with capped,
// jittered exponential backoff (Config.Reconnect) whenever its connection,
// a channel or the consumer itself is closed; close notifications are
// registered on buffered channels for every session. Deliveries of a lost
// session are requeued by the broker and redelivered. Connected, Consuming,
// State, WaitConsuming, Stats and Config.OnStateChange expose readiness and
// reconnects. Stop cancels the consumer, waits for the handlers in
// progress up to its context's deadline and requeues the rest.
//
// # Logging
//
// One logrus entry per message, with msg_id, account_id, event, result,
// reason, settlement and duration_ms. Bodies, passcodes and
// Multi-Factor-Responses are never logged: Secret and MultiFactorResponse
// print as "[redacted]", and error texts name fields, never values.
package amqp
