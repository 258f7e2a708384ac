package duosim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxBody is the largest request body the simulator reads.
const maxBody = 64 << 10

// apiRequest is a request reduced to what Duo's signature covers and what
// the handlers read.
type apiRequest struct {
	Method string
	Host   string // lowercased Host header
	Path   string
	Query  url.Values
	Body   []byte
	JSON   bool       // parameters came from a JSON body: only signature v5 covers them
	Params url.Values // query for GET and DELETE, body for the others
}

// parseAPIRequest reads r's parameters the way Duo does: from the query
// for GET and DELETE, from the form or JSON body for POST, PUT and PATCH.
// A JSON body must be an object of scalars or arrays of scalars.
func parseAPIRequest(r *http.Request) (*apiRequest, *apiError) {
	p := &apiRequest{
		Method: strings.ToUpper(r.Method),
		Host:   strings.ToLower(r.Host),
		Path:   r.URL.Path,
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errInvalidParam("query")
	}
	p.Query = q

	if r.Body != nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			return nil, errInvalidParam("body")
		}
		if len(body) > maxBody {
			return nil, errInvalidParam("body too large")
		}
		p.Body = body
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))

	switch {
	case p.Method == http.MethodGet || p.Method == http.MethodDelete:
		p.Params = q
	case ct == "application/json":
		params, ok := jsonParams(p.Body)
		if !ok {
			return nil, errInvalidParam("body")
		}
		p.Params, p.JSON = params, true
	default:
		params, err := url.ParseQuery(string(p.Body))
		if err != nil {
			return nil, errInvalidParam("body")
		}
		p.Params = params
	}
	return p, nil
}

// jsonParams flattens a JSON object of scalars (or arrays of scalars) into
// parameters; strings stay as they are, numbers and booleans take their
// JSON spelling.
func jsonParams(body []byte) (url.Values, bool) {
	if len(bytes.TrimSpace(body)) == 0 {
		return url.Values{}, true
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, false
	}
	out := url.Values{}
	for k, v := range obj {
		items, isList := v.([]any)
		if !isList {
			items = []any{v}
		}
		for _, item := range items {
			s, ok := scalarText(item)
			if !ok {
				return nil, false
			}
			out.Add(k, s)
		}
	}
	return out, true
}

func scalarText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

// verifySignature checks Duo's HMAC request signature and returns the
// integration key it was made with. The checks, in order: the
// Authorization header (40101), the integration key (40102), the date,
// X-Duo-Date before Date (40104 missing, 40105 unparsable or more than
// maxSkew from now), and the signature (40103). A signature of 40 hex
// digits is HMAC-SHA1, of 128 HMAC-SHA512. It is accepted if it matches
// one of the canonical strings the request may have been signed over (see
// canonicalStrings): a JSON body only with version 5 under HMAC-SHA512.
func verifySignature(p *apiRequest, h http.Header, skeyOf func(string) (string, bool),
	now time.Time, maxSkew time.Duration) (string, *apiError) {
	ikey, sigHex, ok := parseAuthorization(h.Get("Authorization"))
	if !ok {
		return "", &apiError{http.StatusUnauthorized, CodeNoCredentials,
			"Missing request credentials", ""}
	}
	skey, ok := skeyOf(ikey)
	if !ok {
		return "", &apiError{http.StatusUnauthorized, CodeInvalidIKey,
			"Invalid integration key in request credentials", ""}
	}

	date := h.Get("X-Duo-Date")
	if date == "" {
		date = h.Get("Date")
	}
	if date == "" {
		return "", &apiError{http.StatusUnauthorized, CodeMissingDate,
			"Missing request timestamp", "Date or X-Duo-Date header required"}
	}
	when, err := mail.ParseDate(date)
	if err != nil {
		return "", &apiError{http.StatusUnauthorized, CodeBadDate,
			"Invalid request timestamp", "unparsable date"}
	}
	if d := now.Sub(when); d > maxSkew || d < -maxSkew {
		return "", &apiError{http.StatusUnauthorized, CodeBadDate,
			"Invalid request timestamp", "date too far from server time"}
	}

	sig, err := hex.DecodeString(sigHex)
	var newHash func() hash.Hash
	switch {
	case err != nil:
	case len(sig) == sha1.Size:
		newHash = sha1.New
	case len(sig) == sha512.Size:
		newHash = sha512.New
	}
	if newHash != nil {
		for _, canon := range canonicalStrings(p, h, date) {
			if len(sig) == sha1.Size && !canon.allowSHA1 {
				continue
			}
			m := hmac.New(newHash, []byte(skey))
			m.Write([]byte(canon.text))
			if hmac.Equal(m.Sum(nil), sig) {
				return ikey, nil
			}
		}
	}
	return "", &apiError{http.StatusUnauthorized, CodeInvalidSig,
		"Invalid signature in request credentials", ""}
}

// parseAuthorization reads "Basic base64(ikey:hexsig)".
func parseAuthorization(v string) (ikey, sig string, ok bool) {
	scheme, cred, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return "", "", false
	}
	ikey, sig, ok = strings.Cut(string(raw), ":")
	if !ok || ikey == "" || sig == "" {
		return "", "", false
	}
	return ikey, sig, true
}

// canonical is one canonical string a request may have been signed over.
type canonical struct {
	text      string
	allowSHA1 bool // HMAC-SHA1 may sign it (version 2 only)
}

// canonicalStrings returns the canonical strings a client may have signed
// p over. Version 5 (query parameters plus SHA-512 digests of the body and
// of the X-Duo-* headers other than X-Duo-Date) is signed with HMAC-SHA512
// only. Version 2 (the query, or the form body's parameters) may also be
// signed with HMAC-SHA1; it has no place for a JSON body, so a request
// whose parameters came from one is accepted only under version 5,
// otherwise a signature over the query alone would let any body through.
func canonicalStrings(p *apiRequest, h http.Header, date string) []canonical {
	head := date + "\n" + p.Method + "\n" + p.Host + "\n" + p.Path + "\n"
	v5 := canonical{text: head + canonParams(p.Query) + "\n" +
		sha512Hex(p.Body) + "\n" + sha512Hex([]byte(canonDuoHeaders(h)))}
	if p.JSON {
		return []canonical{v5}
	}
	v2 := canonical{text: head + canonParams(p.Params), allowSHA1: true}
	return []canonical{v2, v5}
}

// canonParams encodes parameters as Duo signs them: keys sorted, each key's
// values sorted, everything percent-encoded except A-Z a-z 0-9 - _ . ~
// with uppercase hex, pairs joined by '&'.
func canonParams(params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var b strings.Builder
	for _, k := range keys {
		vals := append([]string(nil), params[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(duoEscape(k))
			b.WriteByte('=')
			b.WriteString(duoEscape(v))
		}
	}
	return b.String()
}

func duoEscape(s string) string {
	const hexUpper = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
	return b.String()
}

// canonDuoHeaders joins the X-Duo-* headers other than X-Duo-Date, names
// lowercased and sorted, names and values separated by NUL bytes.
func canonDuoHeaders(h http.Header) string {
	var names []string
	for name := range h {
		l := strings.ToLower(name)
		if strings.HasPrefix(l, "x-duo-") && l != "x-duo-date" {
			names = append(names, name)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		return strings.ToLower(names[i]) < strings.ToLower(names[j])
	})
	parts := make([]string, 0, 2*len(names))
	for _, name := range names {
		parts = append(parts, strings.ToLower(name), h.Get(name))
	}
	return strings.Join(parts, "\x00")
}

func sha512Hex(b []byte) string {
	sum := sha512.Sum512(b)
	return hex.EncodeToString(sum[:])
}
