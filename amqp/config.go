package amqp

import (
	"fmt"
	"os"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
	"github.com/sirupsen/logrus"
)

// Defaults of Config.
const (
	DefaultWorkers        = 8
	DefaultSlowWorkers    = 32
	DefaultHandlerTimeout = 2 * time.Minute
	DefaultHeartbeat      = 10 * time.Second
	DefaultDialTimeout    = 10 * time.Second
	DefaultAppName        = "duo_kazoo"
	DefaultAppVersion     = "dev"
)

// Config configures a Consumer. Zero fields take the documented defaults.
type Config struct {
	// URL is the broker's AMQP URL (amqp://user:pass@host:port/vhost).
	// Required. It is never logged.
	URL string
	// Topology names the exchanges and queues; zero fields take defaults.
	Topology Topology
	// Workers bounds how many messages are handled at once in the main
	// lane (requests, attempt events, error replies). Default 8.
	Workers int
	// SlowLane runs requests that may block for long (a Duo push waits up
	// to a minute) on their own workers, so they never hold the main lane.
	SlowLane SlowLane
	// Prefetch is the broker-side bound (basic.qos) on unacknowledged
	// deliveries to this consumer. Default 2*Workers + slow workers; it is
	// raised to Workers + slow workers when set lower, so that no worker
	// idles while the queue holds work.
	Prefetch int
	// HandlerTimeout bounds each handler call through its context.
	// Default 2 minutes.
	HandlerTimeout time.Duration
	// ConfirmTimeout bounds the wait for the broker's confirm of a reply.
	// Default DefaultConfirmTimeout.
	ConfirmTimeout time.Duration
	// Reconnect spaces connection attempts after a failure or a drop.
	// Default 100ms doubling up to 30s, with jitter.
	Reconnect Backoff
	// Retry spaces redeliveries of an attempt event whose handler failed
	// temporarily; it grows with consecutive temporary failures across
	// messages (a store outage) and resets on a success. Default 1s
	// doubling up to 30s, with jitter.
	Retry Backoff
	// Heartbeat is the AMQP heartbeat interval. Default 10s.
	Heartbeat time.Duration
	// DialTimeout bounds the TCP connect and AMQP handshake. Default 10s.
	DialTimeout time.Duration
	// AppName, AppVersion and Node fill the headers of replies. Defaults
	// "duo_kazoo", "dev" and the host name.
	AppName    string
	AppVersion string
	Node       string
	// Logger receives one entry per message and connection changes.
	// Default logrus.StandardLogger().
	Logger logrus.FieldLogger
	// OnStateChange, when set, is called after every change of State, in
	// order, from the consumer's connection goroutine. It must return
	// quickly (e.g. set a gauge or send on a buffered channel).
	OnStateChange func(State)
}

// SlowLane configures the lane of requests that may block for long.
type SlowLane struct {
	// Disabled runs every request in the main lane.
	Disabled bool
	// Workers bounds how many slow requests are handled at once.
	// Default 32.
	Workers int
	// IsSlow picks the requests of the slow lane. Default IsSlowRequest.
	IsSlow func(*Request) bool
}

// IsSlowRequest is the default SlowLane.IsSlow: requests naming an Auth API
// factor that waits for the user (auto, push, phone).
func IsSlowRequest(r *Request) bool {
	switch r.Factor {
	case FactorAuto, FactorPush, FactorPhone:
		return true
	}
	return false
}

func (c Config) withDefaults() (Config, error) {
	if c.URL == "" {
		return c, fmt.Errorf("%w: URL is required", ErrConfig)
	}
	// The parser's error quotes the URL, password included: not kept.
	if _, err := amqp091.ParseURI(c.URL); err != nil {
		return c, fmt.Errorf("%w: URL is not an amqp:// or amqps:// URI", ErrConfig)
	}
	if c.Workers < 0 || c.SlowLane.Workers < 0 || c.Prefetch < 0 {
		return c, fmt.Errorf("%w: negative Workers or Prefetch", ErrConfig)
	}
	c.Topology = c.Topology.withDefaults()
	if c.Workers == 0 {
		c.Workers = DefaultWorkers
	}
	slow := 0
	if !c.SlowLane.Disabled {
		if c.SlowLane.Workers == 0 {
			c.SlowLane.Workers = DefaultSlowWorkers
		}
		if c.SlowLane.IsSlow == nil {
			c.SlowLane.IsSlow = IsSlowRequest
		}
		slow = c.SlowLane.Workers
	}
	if c.Prefetch == 0 {
		c.Prefetch = 2*c.Workers + slow
	}
	c.Prefetch = max(c.Prefetch, c.Workers+slow)
	if c.Prefetch > 65535 {
		return c, fmt.Errorf("%w: Prefetch above 65535", ErrConfig)
	}
	c.HandlerTimeout = orDuration(c.HandlerTimeout, DefaultHandlerTimeout)
	c.ConfirmTimeout = orDuration(c.ConfirmTimeout, DefaultConfirmTimeout)
	c.Heartbeat = orDuration(c.Heartbeat, DefaultHeartbeat)
	c.DialTimeout = orDuration(c.DialTimeout, DefaultDialTimeout)
	c.Reconnect = c.Reconnect.orDefault(defaultReconnect)
	c.Retry = c.Retry.orDefault(defaultRetry)
	c.AppName = orString(c.AppName, DefaultAppName)
	c.AppVersion = orString(c.AppVersion, DefaultAppVersion)
	if c.Node == "" {
		host, err := os.Hostname()
		if err != nil || host == "" {
			host = "localhost"
		}
		c.Node = c.AppName + "@" + host
	}
	if c.Logger == nil {
		c.Logger = logrus.StandardLogger()
	}
	return c, nil
}

var (
	defaultReconnect = Backoff{Initial: 100 * time.Millisecond, Max: 30 * time.Second}
	defaultRetry     = Backoff{Initial: time.Second, Max: 30 * time.Second}
)

func orDuration(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

func orString(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
