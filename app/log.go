package app

import (
	"fmt"
	"io"

	"github.com/sirupsen/logrus"
)

// NewLogger builds the service's logger: JSON or text, at the given level.
func NewLogger(level, format string, out io.Writer) (*logrus.Logger, error) {
	log := logrus.New()
	log.SetOutput(out)
	lvl, err := logrus.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("LOG_LEVEL %q: %w", level, err)
	}
	log.SetLevel(lvl)
	if format == "text" {
		log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true})
	} else {
		log.SetFormatter(&logrus.JSONFormatter{})
	}
	return log, nil
}
