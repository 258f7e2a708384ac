package amqp

import (
	"testing"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"
)

func TestJobSettlesOnce(t *testing.T) {
	tests := []struct {
		name  string
		steps func(j *job) []bool // results of each step, in order
		want  []bool
		how   string
	}{
		{name: "claim then ack", steps: func(j *job) []bool {
			return []bool{j.claim(), j.settle(settleAck), j.abandon()}
		}, want: []bool{true, true, false}, how: "acked"},
		{name: "abandon before claim", steps: func(j *job) []bool {
			return []bool{j.abandon(), j.claim(), j.settle(settleAck)}
		}, want: []bool{true, false, false}, how: "requeued"},
		{name: "claimed job cannot be abandoned", steps: func(j *job) []bool {
			return []bool{j.claim(), j.abandon(), j.settle(settleDeadLetter)}
		}, want: []bool{true, false, true}, how: "dead_lettered"},
		{name: "delayed job expedited once", steps: func(j *job) []bool {
			ok := j.claim()
			j.delay(time.Hour, func() {})
			return []bool{ok, j.abandon(), j.expedite(), j.expedite()}
		}, want: []bool{true, false, true, false}, how: "requeued"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ack := newFakeAck()
			j := &job{d: amqp091.Delivery{Acknowledger: ack, DeliveryTag: 7}}
			got := tt.steps(j)
			for i := range tt.want {
				if got[i] != tt.want[i] {
					t.Errorf("step %d: got %v, want %v", i+1, got[i], tt.want[i])
				}
			}
			if how, _ := ack.how(7); how != tt.how {
				t.Errorf("got %s, want %s", how, tt.how)
			}
		})
	}
}

func TestDelayedJobRequeuedByTimer(t *testing.T) {
	ack := newFakeAck()
	j := &job{d: amqp091.Delivery{Acknowledger: ack, DeliveryTag: 1}}
	j.claim()
	done := make(chan struct{})
	j.delay(time.Millisecond, func() { close(done) })
	<-done
	if how, _ := ack.how(1); how != "requeued" {
		t.Errorf("got %q, want requeued", how)
	}
	if j.expedite() {
		t.Errorf("expedite after the timer fired: got true, want false")
	}
}
