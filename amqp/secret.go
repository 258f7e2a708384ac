package amqp

// Secret is a string that must never reach a log: its String and GoString
// methods print "[redacted]", so fmt verbs and logrus fields of a struct
// holding one do not show it. JSON encoding keeps the real value (the
// transport has to send it); convert with string(s) to use it.
type Secret string

const redacted = "[redacted]"

// String returns "[redacted]" for a non-empty secret and "" otherwise.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString is String, for the %#v verb.
func (s Secret) GoString() string { return s.String() }
