package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/duo-kazoo/duo-kazoo/amqp"
	"github.com/duo-kazoo/duo-kazoo/app"
)

func init() {
	register("mfa", "ask for a second factor over AMQP as KAZOO would, and print the reply", runMFA)
}

func runMFA(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("mfa", "Publishes an mfa_req on the kapps exchange the way KAZOO's login path\n"+
		"does, waits for the mfa_resp and prints it as JSON. Use it to test a live\n"+
		"setup end to end. Exit status 0 means a reply arrived, whatever it says.",
		"Environment:\n  AMQP_URL   RabbitMQ (default amqp://guest:guest@127.0.0.1:5679/)", stderr)
	amqpURL := fs.String("amqp-url", envOr("AMQP_URL", "amqp://guest:guest@127.0.0.1:5679/"),
		"RabbitMQ URL")
	account := fs.String("account", "", "Account-ID of the login (required)")
	owner := fs.String("owner", "", "Owner-ID: the KAZOO user id (required)")
	username := fs.String("username", "", "Username: the user's login name")
	module := fs.String("auth-module", "cb_user_auth", "Auth-Module of the login")
	clientIP := fs.String("client-ip", "127.0.0.1", "Client-IP of the login")
	factor := fs.String("factor", "", "Factor: auto, push, sms, phone or passcode "+
		"(empty: the browser prompt)")
	passcode := fs.String("passcode", "", "Passcode, with --factor passcode")
	device := fs.String("device", "", "Device for push/sms/phone (default: Duo's choice)")
	sigResponse := fs.String("sig-response", "", "Multi-Factor-Response of the Web SDK "+
		"(the AUTH|...:APP|... string)")
	code := fs.String("code", "", "Multi-Factor-Response code of the Universal Prompt")
	state := fs.String("state", "", "Multi-Factor-Response state of the Universal Prompt")
	timeout := fs.Duration("timeout", 90*time.Second, "how long to wait for the reply")
	kapps := fs.String("kapps-exchange", amqp.DefaultKappsExchange,
		"exchange the request is published to (KAZOO's; another name only for a "+
			"side-by-side deployment)")
	targeted := fs.String("targeted-exchange", amqp.DefaultTargetedExchange,
		"exchange the reply comes back on (KAZOO's; see --kapps-exchange)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *account == "" || *owner == "" {
		fmt.Fprintln(stderr, "--account and --owner are required")
		fs.Usage()
		return errUsage
	}

	req := &amqp.Request{
		Envelope:   amqp.Envelope{AccountID: *account},
		OwnerID:    *owner,
		Username:   *username,
		AuthModule: *module,
		ClientIP:   *clientIP,
		UserAgent:  "duo-kazoo mfa " + app.Version,
		Factor:     amqp.Factor(*factor),
		Passcode:   amqp.Secret(*passcode),
		Device:     *device,
	}
	switch {
	case *sigResponse != "" && *code != "":
		return errors.New("give either --sig-response or --code, not both")
	case *sigResponse != "":
		req.MultiFactorResponse = &amqp.MultiFactorResponse{SigResponse: amqp.Secret(*sigResponse)}
	case *code != "":
		req.MultiFactorResponse = &amqp.MultiFactorResponse{Code: amqp.Secret(*code),
			State: amqp.Secret(*state)}
	}

	client, err := amqp.NewClient(amqp.ClientConfig{URL: *amqpURL, AppName: "duo-kazoo-mfa",
		AppVersion: app.Version, Topology: amqp.Topology{Kapps: *kapps, Targeted: *targeted}})
	if err != nil {
		return fmt.Errorf("connecting to RabbitMQ: %w", err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	start := time.Now()
	rep, err := client.Call(ctx, req)
	if err != nil {
		return fmt.Errorf("waiting for mfa_resp: %w", err)
	}
	return printReply(stdout, rep, time.Since(start))
}

func printReply(w io.Writer, rep *amqp.Reply, took time.Duration) error {
	out := map[string]any{
		"Result": rep.Result, "Reason": rep.Reason, "Message": rep.Message,
		"Msg-ID": rep.MsgID, "Round-Trip-Ms": took.Milliseconds(),
	}
	if rep.AttemptID != "" {
		out["Attempt-ID"] = rep.AttemptID
	}
	if len(rep.MultiFactorRequest) > 0 {
		out["Multi-Factor-Request"] = rep.MultiFactorRequest
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	if strings.EqualFold(string(rep.Result), "challenge") {
		fmt.Fprintln(w, "\nA challenge: complete it in the browser (or the simulator), "+
			"then run this command again with --sig-response or --code/--state.")
	}
	return nil
}
