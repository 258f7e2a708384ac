package app

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/duo-kazoo/duo-kazoo/amqp"
)

// Config is the service's configuration, read from the environment by
// ConfigFromEnv. Each field names its variable and default.
type Config struct {
	// CouchURL (COUCH_URL) is the CouchDB server, credentials in the URL
	// when needed. Default http://127.0.0.1:15984 (the local demo server).
	CouchURL string
	// AMQPURL (AMQP_URL) is KAZOO's RabbitMQ. Default
	// amqp://guest:guest@127.0.0.1:5679/ (the local demo broker).
	AMQPURL string
	// HTTPAddr (HTTP_ADDR) is where the API listens. Default 127.0.0.1:8094.
	HTTPAddr string
	// SecretKeyFile (DUO_KAZOO_SECRET_KEY_FILE) holds the keys that
	// encrypt Duo secrets at rest (see package secrets). Required unless
	// SecretsMode is plaintext.
	SecretKeyFile string
	// SecretsMode (DUO_KAZOO_SECRETS_MODE) is "encrypted" (default) or
	// "plaintext", for deployments where stock KAZOO must read secrets.
	SecretsMode string
	// CAFile (DUO_KAZOO_CA_FILE) adds CA certificates trusted for Duo
	// (private deployments, the simulator). Optional.
	CAFile string
	// LogLevel (LOG_LEVEL): debug, info (default), warn, error.
	LogLevel string
	// LogFormat (LOG_FORMAT): json (default) or text.
	LogFormat string
	// CORSOrigins (DUO_KAZOO_CORS_ORIGINS) is a comma-separated list of
	// Monster-UI origins allowed to call the API; "*" allows any. Default "*".
	CORSOrigins []string
	// CacheTTL (DUO_KAZOO_CACHE_TTL) is how long hot reads (account
	// trees, users, security configs) are cached. Default 5s; 0 disables.
	CacheTTL time.Duration
	// Node (DUO_KAZOO_NODE) names this replica in envelopes and AMQP
	// headers. Default the host name.
	Node string
	// Prefetch (DUO_KAZOO_AMQP_PREFETCH) bounds unacknowledged deliveries;
	// it is raised to Workers + PushWorkers when lower. Default 64.
	Prefetch int
	// Workers (DUO_KAZOO_AMQP_WORKERS) bounds concurrent message handlers.
	// Attempt events wait for a batched CouchDB write, so more workers make
	// larger batches, up to the recorder's 256 (measured on 2 cores beside
	// raw _bulk_docs of 100: 32 workers about 45%, 128 workers 50-78%, 256
	// workers 68-84%, 512 workers 79-86%, 1024 workers 90-117%). Default
	// 1024; an idle worker costs a few KB.
	Workers int
	// PushWorkers (DUO_KAZOO_AMQP_PUSH_WORKERS) bounds requests waiting
	// for a person to answer a push or a call (up to a minute each), on
	// their own lane so they never hold the others. Default 1024.
	PushWorkers int
	// DrainTimeout (DUO_KAZOO_DRAIN_TIMEOUT) bounds graceful shutdown.
	// Default 30s.
	DrainTimeout time.Duration
	// Topology names the AMQP exchanges and queues (not from the
	// environment): the zero value means KAZOO's kapps and targeted and
	// this module's duo_kazoo.mfa queue. Tests give each replica private
	// names.
	Topology amqp.Topology
}

// ConfigFromEnv reads Config from the environment through getenv
// (os.Getenv when nil), applying defaults and reporting every bad value.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	host, _ := os.Hostname()
	c := Config{
		CouchURL:      get("COUCH_URL", "http://127.0.0.1:15984"),
		AMQPURL:       get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5679/"),
		HTTPAddr:      get("HTTP_ADDR", "127.0.0.1:8094"),
		SecretKeyFile: get("DUO_KAZOO_SECRET_KEY_FILE", ""),
		SecretsMode:   get("DUO_KAZOO_SECRETS_MODE", "encrypted"),
		CAFile:        get("DUO_KAZOO_CA_FILE", ""),
		LogLevel:      get("LOG_LEVEL", "info"),
		LogFormat:     get("LOG_FORMAT", "json"),
		Node:          get("DUO_KAZOO_NODE", host),
	}
	var errs []error
	for _, o := range strings.Split(get("DUO_KAZOO_CORS_ORIGINS", "*"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	c.CacheTTL = duration(get("DUO_KAZOO_CACHE_TTL", "5s"), "DUO_KAZOO_CACHE_TTL", &errs)
	c.DrainTimeout = duration(get("DUO_KAZOO_DRAIN_TIMEOUT", "30s"), "DUO_KAZOO_DRAIN_TIMEOUT", &errs)
	c.Prefetch = positive(get("DUO_KAZOO_AMQP_PREFETCH", "64"), "DUO_KAZOO_AMQP_PREFETCH", &errs)
	c.Workers = positive(get("DUO_KAZOO_AMQP_WORKERS", "1024"), "DUO_KAZOO_AMQP_WORKERS", &errs)
	c.PushWorkers = positive(get("DUO_KAZOO_AMQP_PUSH_WORKERS", "1024"),
		"DUO_KAZOO_AMQP_PUSH_WORKERS", &errs)

	switch c.SecretsMode {
	case "encrypted":
		if c.SecretKeyFile == "" {
			errs = append(errs, errors.New("DUO_KAZOO_SECRET_KEY_FILE is required "+
				"(or set DUO_KAZOO_SECRETS_MODE=plaintext)"))
		}
	case "plaintext":
	default:
		errs = append(errs, fmt.Errorf("DUO_KAZOO_SECRETS_MODE %q: want encrypted or plaintext",
			c.SecretsMode))
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		errs = append(errs, fmt.Errorf("LOG_FORMAT %q: want json or text", c.LogFormat))
	}
	return c, errors.Join(errs...)
}

func duration(s, name string, errs *[]error) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		*errs = append(*errs, fmt.Errorf("%s %q: want a duration such as 5s", name, s))
	}
	return d
}

func positive(s, name string, errs *[]error) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		*errs = append(*errs, fmt.Errorf("%s %q: want a positive number", name, s))
	}
	return n
}

// EnvHelp documents the variables for --help.
const EnvHelp = `Environment:
  COUCH_URL                   CouchDB server (default http://127.0.0.1:15984)
  AMQP_URL                    RabbitMQ (default amqp://guest:guest@127.0.0.1:5679/)
  HTTP_ADDR                   API listen address (default 127.0.0.1:8094)
  DUO_KAZOO_SECRET_KEY_FILE   keys encrypting Duo secrets at rest (required)
  DUO_KAZOO_SECRETS_MODE      encrypted (default) or plaintext
  DUO_KAZOO_CA_FILE           extra CA certificates trusted for Duo
  DUO_KAZOO_CORS_ORIGINS      Monster-UI origins, comma-separated (default *)
  DUO_KAZOO_CACHE_TTL         hot-read cache lifetime (default 5s)
  DUO_KAZOO_AMQP_PREFETCH     unacknowledged deliveries (default 64)
  DUO_KAZOO_AMQP_WORKERS      concurrent message handlers (default 1024)
  DUO_KAZOO_AMQP_PUSH_WORKERS requests waiting on a push or call (default 1024)
  DUO_KAZOO_DRAIN_TIMEOUT     graceful shutdown bound (default 30s)
  DUO_KAZOO_NODE              replica name (default host name)
  LOG_LEVEL                   debug, info (default), warn, error
  LOG_FORMAT                  json (default) or text
`
