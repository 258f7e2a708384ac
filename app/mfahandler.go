package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/metrics"
	"github.com/duo-kazoo/duo-kazoo/mfa"
)

// mfaHandler adapts the mfa domain to the AMQP transport: it turns
// mfa_req messages into mfa.Requests and mfa.Replies into mfa_resp
// messages, and login_attempt events into mfa.AttemptEvents, timing each
// for the AMQP metrics.
type mfaHandler struct {
	svc     *mfa.Service
	metrics metrics.AMQPObserver
}

var _ amqp.Handler = mfaHandler{}

func (h mfaHandler) HandleRequest(ctx context.Context, req *amqp.Request) *amqp.Reply {
	start := time.Now()
	rep := h.handleRequest(ctx, req)
	h.metrics.Observe("mfa_req", string(rep.Result), time.Since(start))
	return rep
}

func (h mfaHandler) handleRequest(ctx context.Context, req *amqp.Request) *amqp.Reply {
	r := mfa.Request{
		AccountID: req.AccountID, OwnerID: req.OwnerID, Username: req.Username,
		AuthModule: req.AuthModule, ClientIP: req.ClientIP, UserAgent: req.UserAgent,
		MsgID: req.MsgID, Factor: string(req.Factor), Passcode: mfa.Secret(req.Passcode),
		Device: req.Device,
	}
	if m := req.MultiFactorResponse; m != nil {
		if m.Universal() {
			r.Response = &mfa.Response{Universal: &mfa.UniversalResponse{
				Code: mfa.Secret(m.Code), State: mfa.Secret(m.State), RedirectURI: m.RedirectURI}}
		} else {
			r.Response = &mfa.Response{SigResponse: mfa.Secret(m.SigResponse)}
		}
	}
	rep := h.svc.Handle(ctx, r)
	out := &amqp.Reply{Result: amqp.Result(rep.Result), Reason: rep.Reason,
		Message: rep.Message, AttemptID: rep.AttemptID}
	if rep.Challenge != nil {
		raw, err := json.Marshal(rep.Challenge)
		if err != nil {
			return &amqp.Reply{Result: amqp.ResultError, Reason: amqp.ReasonInternal,
				Message: "the challenge could not be encoded"}
		}
		out.MultiFactorRequest = raw
	}
	return out
}

// HandleAttempt records an attempt event. An event that can never be
// recorded is permanent (dead-lettered); anything else, such as CouchDB
// being down, is temporary and the event is redelivered later.
func (h mfaHandler) HandleAttempt(ctx context.Context, ev *amqp.AttemptEvent) error {
	start := time.Now()
	err := h.handleAttempt(ctx, ev)
	result := "stored"
	switch {
	case errors.Is(err, amqp.ErrPermanent):
		result = "rejected"
	case err != nil:
		result = "retried"
	}
	h.metrics.Observe("login_attempt", result, time.Since(start))
	return err
}

func (h mfaHandler) handleAttempt(ctx context.Context, ev *amqp.AttemptEvent) error {
	e := mfa.AttemptEvent{
		AccountID: ev.AccountID, MsgID: ev.MsgID, OwnerID: ev.OwnerID,
		Username: ev.Username, AuthType: ev.AuthType, AuthModule: ev.AuthModule,
		Status: string(ev.Status), Message: ev.Message, Reason: ev.Reason,
		ClientIP: ev.ClientIP, UserAgent: ev.UserAgent,
	}
	if len(ev.Metadata) > 0 {
		if err := json.Unmarshal(ev.Metadata, &e.Metadata); err != nil {
			return amqp.Permanent(err)
		}
	}
	if ev.Timestamp > 0 {
		e.Time = couch.FromGregorian(ev.Timestamp)
	}
	_, err := h.svc.RecordAttempt(ctx, e)
	if errors.Is(err, mfa.ErrInvalidEvent) {
		return amqp.Permanent(err)
	}
	return err
}

// sweepEvery is how often a replica removes expired replay-guard entries.
const sweepEvery = 10 * time.Minute
