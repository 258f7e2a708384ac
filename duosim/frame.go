package duosim

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/duo-kazoo/duo-kazoo/duo/websdk"
)

// frameReply is the machine-readable answer of the Web SDK frame.
type frameReply struct {
	Result    string `json:"result"` // allow, deny, waiting
	StatusMsg string `json:"status_msg"`
	Username  string `json:"username"`
	Cookie    string `json:"cookie,omitempty"` // AUTH|... or ENROLL|...
	Parent    string `json:"parent,omitempty"`
}

// errBadTX is a TX value the frame refuses.
var errBadTX = errors.New("invalid tx")

// frame answers GET and POST /frame/web/v1/auth, the page Duo's Web SDK v2
// puts in an iframe. It verifies the tx value (TX or ENROLL_REQUEST part of
// a sig_request, signed with the secret key of a known integration, not
// expired). A user whose behavior approves gets the AUTH value (ENROLL for
// an enrollment request) signed with the secret key for 300 seconds; a
// Manual user gets Approve and Deny buttons posting back here with
// "action". The answer is an HTML page that posts the value to the parent
// window, or Duo's JSON envelope when the request accepts
// application/json (or has format=json).
func (s *Server) frame(w http.ResponseWriter, r *http.Request) {
	e := Request{Time: s.now(), Method: r.Method, Path: r.URL.Path, Fault: faultNote(r.Context())}
	defer func() { s.record(e) }()
	asJSON := strings.Contains(r.Header.Get("Accept"), "application/json")

	params, err := oauthParams(r)
	if err != nil {
		s.frameFail(w, &e, asJSON, "unreadable parameters")
		return
	}
	e.Params = redact(params)
	asJSON = asJSON || params.Get("format") == "json"
	tx, parent := params.Get("tx"), params.Get("parent")
	ikey, skey, user, enroll, err := s.readTX(tx)
	e.Integration = ikey
	if err != nil {
		s.frameFail(w, &e, asJSON, "invalid tx")
		return
	}

	s.mu.Lock()
	st := s.lookupLocked(user)
	b, delay := st.Behavior, st.Delay
	s.mu.Unlock()

	action := params.Get("action")
	var res promptResult
	var decided bool
	switch {
	case r.Method == http.MethodPost && action != "":
		res, decided = answeredResult(b, action)
		if !decided {
			s.frameFail(w, &e, asJSON, "action must be approve, deny or fraud")
			return
		}
	default:
		res, decided = automaticResult(b)
		if decided && b.enrolled() && !s.sleep(r.Context(), delay) {
			e.Outcome = "abandoned"
			return
		}
	}
	if enroll && b != LockedOut {
		res, decided = prApproved, true // enrolling is the point of the flow
	}

	out := frameReply{Result: "waiting", StatusMsg: "Waiting for the user", Username: user,
		Parent: parent}
	if decided {
		out.Result, out.StatusMsg = res.Result, res.StatusMsg
	}
	if decided && res.Result == "allow" {
		prefix := websdk.PrefixAuth
		if enroll {
			prefix = websdk.PrefixEnroll
		}
		out.Cookie = websdk.SignValue(skey, prefix, ikey, user, websdk.DefaultDuoExpire, s.now())
	}
	e.Status, e.Outcome = http.StatusOK, out.Result

	switch {
	case asJSON:
		writeOK(w, out)
	case !decided:
		e.Outcome = "prompt"
		renderPrompt(w, promptPage{Title: "Duo Web SDK prompt (simulated)", Username: user,
			Action: "/frame/web/v1/auth", TX: tx, Parent: parent})
	default:
		renderTemplate(w, http.StatusOK, frameTmpl, framePage{Username: user,
			Result: out.Result, StatusMsg: out.StatusMsg, Cookie: out.Cookie,
			Origin: origin(parent)})
	}
}

func (s *Server) frameFail(w http.ResponseWriter, e *Request, asJSON bool, msg string) {
	e.Status, e.Code, e.Outcome = http.StatusBadRequest, CodeInvalidParams, "FAIL"
	if asJSON {
		writeFail(w, &apiError{http.StatusBadRequest, CodeInvalidParams,
			"Invalid request parameters", msg})
		return
	}
	renderError(w, http.StatusBadRequest, msg)
}

// readTX verifies a frame's tx value and returns its integration, the
// integration's secret key, the username, and whether it is an
// enrollment request.
func (s *Server) readTX(tx string) (ikey, skey, user string, enroll bool, err error) {
	prefix, rest, _ := strings.Cut(tx, "|")
	payload, _, _ := strings.Cut(rest, "|")
	plain, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return "", "", "", false, errBadTX
	}
	fields := strings.Split(string(plain), "|")
	if len(fields) != 3 {
		return "", "", "", false, errBadTX
	}
	ikey = fields[1]
	skey, ok := s.skeyOf(ikey)
	if !ok {
		return ikey, "", "", false, errBadTX
	}
	enroll = prefix == websdk.PrefixEnrollRequest
	want := websdk.PrefixTX
	if enroll {
		want = websdk.PrefixEnrollRequest
	}
	user, err = websdk.VerifyValue(skey, want, ikey, tx, s.now())
	if err != nil {
		return ikey, "", "", false, errBadTX
	}
	return ikey, skey, user, enroll, nil
}

// origin returns scheme://host of an http(s) URL, or "".
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
