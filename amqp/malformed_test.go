package amqp

import (
	"slices"
	"strings"
	"testing"

	amqp091 "github.com/rabbitmq/amqp091-go"
)

func TestMalformedMessages(t *testing.T) {
	top := testTopology(t)
	c := startConsumer(t, Config{Topology: top}, echoHandler{})
	rc := newReplyCounter(t, top)
	ctx := testContext(t)
	ch := rawChannel(t)

	publish := func(key string, body []byte) {
		t.Helper()
		err := ch.PublishWithContext(ctx, top.Kapps, key, false, false,
			amqp091.Publishing{ContentType: "application/json", Body: body})
		if err != nil {
			t.Fatalf("publish: %v", err)
		}
	}
	answerable := edit(requestFields(), map[string]any{"Server-ID": rc.queue,
		"Msg-ID": "bad-1", "App-Name": nil, "Owner-ID": 42})
	publish(RequestKey(testAccount), mustJSON(t, answerable))

	deep := `{"Server-ID":"x","Msg-ID":"y","a":` + strings.Repeat("[", 5000) +
		strings.Repeat("]", 5000) + "}"
	unanswerable := []struct {
		name string
		body []byte
	}{
		{name: "no Server-ID", body: mustJSON(t, edit(requestFields(),
			map[string]any{"Server-ID": nil}))},
		{name: "not JSON", body: []byte("not json at all")},
		{name: "deep JSON", body: []byte(deep)},
		{name: "invalid UTF-8", body: []byte("{\"Msg-ID\":\"\xc3\x28\"}")},
		{name: "huge", body: []byte(`{"x":"` + strings.Repeat("a", MaxBodyBytes+1) + `"}`)},
		{name: "invalid attempt", body: mustJSON(t, edit(attemptFields(),
			map[string]any{"Status": 7, "Server-ID": rc.queue}))},
	}
	for _, u := range unanswerable {
		publish(RequestKey(testAccount), u.body)
	}

	// The answerable one gets an error reply naming its problems.
	rc.waitFor(ctx, "error reply", func(c map[string]int) bool { return c["bad-1"] > 0 })
	_, rep := rc.count("bad-1")
	if rep.Result != ResultError || rep.Reason != ReasonInvalidRequest ||
		!strings.Contains(rep.Message, "App-Name: missing") ||
		!strings.Contains(rep.Message, "Owner-ID: not a string") {
		t.Errorf("got %s/%s %q, want error/invalid_request naming App-Name and Owner-ID",
			rep.Result, rep.Reason, rep.Message)
	}

	// The others land in the dead-letter queue, unchanged.
	dead, err := ch.Consume(top.DeadLetterQueue, "", false, false, false, false, nil)
	if err != nil {
		t.Fatalf("consume DLQ: %v", err)
	}
	var got [][]byte
	for len(got) < len(unanswerable) {
		select {
		case d := <-dead:
			got = append(got, d.Body)
			if reason := deathReason(d); reason != "rejected" {
				t.Errorf("x-death reason: got %q, want rejected", reason)
			}
			_ = d.Ack(false)
		case <-ctx.Done():
			t.Fatalf("got %d dead letters, want %d", len(got), len(unanswerable))
		}
	}
	for _, u := range unanswerable {
		if !slices.ContainsFunc(got, func(b []byte) bool { return string(b) == string(u.body) }) {
			t.Errorf("%s: not dead-lettered", u.name)
		}
	}

	// And the consumer keeps answering.
	id := rc.request(ctx, testRequest())
	rc.waitFor(ctx, "reply after malformed input", func(c map[string]int) bool {
		return c[id] > 0
	})
	if st := c.Stats(); st.DeadLettered != uint64(len(unanswerable)) {
		t.Errorf("DeadLettered: got %d, want %d", st.DeadLettered, len(unanswerable))
	}
}

// deathReason returns the reason of the first x-death entry.
func deathReason(d amqp091.Delivery) string {
	deaths, _ := d.Headers["x-death"].([]any)
	if len(deaths) == 0 {
		return ""
	}
	entry, _ := deaths[0].(amqp091.Table)
	reason, _ := entry["reason"].(string)
	return reason
}
