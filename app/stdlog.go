package app

import (
	"log"
	"strings"

	"github.com/sirupsen/logrus"
)

// newStdLogger routes net/http's own messages (TLS handshake errors and
// the like) into the structured log at warn level.
func newStdLogger(l *logrus.Logger) *log.Logger {
	return log.New(logWriter{l}, "", 0)
}

type logWriter struct{ l *logrus.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.l.WithField("component", "http").Warn(strings.TrimSpace(string(p)))
	return len(p), nil
}
