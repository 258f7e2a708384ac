package amqp

import (
	"fmt"

	amqp091 "github.com/rabbitmq/amqp091-go"
)

// Default names of the topology.
const (
	DefaultKappsExchange      = "kapps"
	DefaultTargetedExchange   = "targeted"
	DefaultQueue              = "duo_kazoo.mfa"
	DefaultDeadLetterExchange = "duo_kazoo.dlx"
	DefaultDeadLetterQueue    = "duo_kazoo.mfa.dead"
)

// Topology names the exchanges and queues the module uses. A zero field
// takes its Default* value. Only tests and side-by-side deployments need
// other names: KAZOO itself publishes to "kapps" and "targeted".
//
// Declare creates, or checks, all of it:
//   - Kapps: topic exchange, durable=false, auto_delete=false (as KAZOO);
//   - Targeted: direct exchange, durable=false, auto_delete=false (as KAZOO);
//   - DeadLetterExchange: direct, durable, owned by this module;
//   - DeadLetterQueue: durable, bound to DeadLetterExchange with its own
//     name as key; it keeps what could not be answered or stored, and
//     requests that expired unanswered (x-death reason "expired");
//   - Queue: durable, dead-lettering to DeadLetterExchange with key
//     DeadLetterQueue, bound to Kapps with BindingKeys.
type Topology struct {
	Kapps              string
	Targeted           string
	Queue              string
	DeadLetterExchange string
	DeadLetterQueue    string
}

// DefaultTopology returns the topology with every default name.
func DefaultTopology() Topology { return Topology{}.withDefaults() }

func (t Topology) withDefaults() Topology {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&t.Kapps, DefaultKappsExchange)
	def(&t.Targeted, DefaultTargetedExchange)
	def(&t.Queue, DefaultQueue)
	def(&t.DeadLetterExchange, DefaultDeadLetterExchange)
	def(&t.DeadLetterQueue, DefaultDeadLetterQueue)
	return t
}

// exchangeSpec and queueSpec name the flags of a declaration, in place of
// amqp091's positional booleans.
type exchangeSpec struct {
	Name       string
	Kind       string
	Durable    bool
	AutoDelete bool
}

type queueSpec struct {
	Name       string
	Durable    bool
	AutoDelete bool
	Exclusive  bool
	Args       amqp091.Table
}

func declareExchange(ch *amqp091.Channel, s exchangeSpec) error {
	err := ch.ExchangeDeclare(s.Name, s.Kind, s.Durable, s.AutoDelete, false, false, nil)
	if err != nil {
		return fmt.Errorf("declaring exchange %s: %w", s.Name, err)
	}
	return nil
}

func declareQueue(ch *amqp091.Channel, s queueSpec) (amqp091.Queue, error) {
	q, err := ch.QueueDeclare(s.Name, s.Durable, s.AutoDelete, s.Exclusive, false, s.Args)
	if err != nil {
		return q, fmt.Errorf("declaring queue %s: %w", s.Name, err)
	}
	return q, nil
}

func bindQueue(ch *amqp091.Channel, queue, key, exchange string) error {
	if err := ch.QueueBind(queue, key, exchange, false, nil); err != nil {
		return fmt.Errorf("binding queue %s to %s with %s: %w", queue, exchange, key, err)
	}
	return nil
}

// kazooExchanges declares Kapps and Targeted exactly as KAZOO does.
func (t Topology) kazooExchanges(ch *amqp091.Channel) error {
	t = t.withDefaults()
	if err := declareExchange(ch, exchangeSpec{Name: t.Kapps, Kind: "topic"}); err != nil {
		return err
	}
	return declareExchange(ch, exchangeSpec{Name: t.Targeted, Kind: "direct"})
}

// Declare declares the whole topology on ch (see Topology). It is
// idempotent and is run on every (re)connect, because a broker restart
// drops non-durable exchanges and their bindings. A declaration that
// differs from an existing one fails with the broker's PRECONDITION_FAILED
// (an *amqp091.Error with Code 406), which also closes ch.
func (t Topology) Declare(ch *amqp091.Channel) error {
	t = t.withDefaults()
	if err := t.kazooExchanges(ch); err != nil {
		return err
	}
	dlx := exchangeSpec{Name: t.DeadLetterExchange, Kind: "direct", Durable: true}
	if err := declareExchange(ch, dlx); err != nil {
		return err
	}
	if _, err := declareQueue(ch, queueSpec{Name: t.DeadLetterQueue, Durable: true}); err != nil {
		return err
	}
	dlq := t.DeadLetterQueue
	if err := bindQueue(ch, dlq, dlq, t.DeadLetterExchange); err != nil {
		return err
	}
	main := queueSpec{Name: t.Queue, Durable: true, Args: amqp091.Table{
		"x-dead-letter-exchange":    t.DeadLetterExchange,
		"x-dead-letter-routing-key": t.DeadLetterQueue,
	}}
	if _, err := declareQueue(ch, main); err != nil {
		return err
	}
	for _, key := range BindingKeys() {
		if err := bindQueue(ch, t.Queue, key, t.Kapps); err != nil {
			return err
		}
	}
	return nil
}
