package amqp

import "strings"

// Routing key prefixes of this module's messages on the kapps exchange.
const (
	// RequestKeyPrefix starts the routing key of an mfa_req; the escaped
	// account id follows.
	RequestKeyPrefix = "mfa.req."
	// AttemptKeyPrefix starts the routing key of a login_attempt; the
	// escaped account id follows.
	AttemptKeyPrefix = "mfa.attempt."
)

// EscapeKey escapes one routing key segment the way KAZOO does: "." becomes
// "%2E" and a space becomes "+", so that a value never adds segments to a
// topic routing key. The wildcard segments "*" and "#" are kept as they are,
// for binding keys.
func EscapeKey(segment string) string {
	if segment == "*" || segment == "#" {
		return segment
	}
	if !strings.ContainsAny(segment, ". ") {
		return segment
	}
	var b strings.Builder
	b.Grow(len(segment) + 8)
	for i := 0; i < len(segment); i++ {
		switch c := segment[i]; c {
		case '.':
			b.WriteString("%2E")
		case ' ':
			b.WriteByte('+')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// RequestKey returns the routing key of an mfa_req for accountID:
// "mfa.req.<ACCOUNT_ID>".
func RequestKey(accountID string) string { return RequestKeyPrefix + EscapeKey(accountID) }

// AttemptKey returns the routing key of a login_attempt for accountID:
// "mfa.attempt.<ACCOUNT_ID>".
func AttemptKey(accountID string) string { return AttemptKeyPrefix + EscapeKey(accountID) }

// BindingKeys are the keys the module's queue is bound with on kapps:
// every account's requests and attempt events.
func BindingKeys() []string {
	return []string{RequestKeyPrefix + "*", AttemptKeyPrefix + "*"}
}
