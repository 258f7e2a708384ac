package duosim

import (
	"html/template"
	"net/http"
)

// promptPage is the data of the page a Manual user answers.
type promptPage struct {
	Title    string
	Username string
	Action   string // where the buttons post
	Session  string // Universal Prompt session id, or ""
	TX       string // Web SDK TX value, or ""
	Parent   string // Web SDK parent URL, or ""
}

var promptTmpl = template.Must(template.New("prompt").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
<p>Login request for <strong id="duo-username">{{.Username}}</strong></p>
<form method="post" action="{{.Action}}">
{{if .Session}}<input type="hidden" name="session" value="{{.Session}}">{{end}}
{{if .TX}}<input type="hidden" name="tx" value="{{.TX}}">
<input type="hidden" name="parent" value="{{.Parent}}">{{end}}
<button id="duo-approve" type="submit" name="action" value="approve">Approve</button>
<button id="duo-deny" type="submit" name="action" value="deny">Deny</button>
<button id="duo-fraud" type="submit" name="action" value="fraud">Deny and report fraud</button>
</form>
</body></html>
`))

// framePage is the data of the Web SDK frame's result page.
type framePage struct {
	Username  string
	Result    string // allow, deny
	StatusMsg string
	Cookie    string // the signed AUTH (or ENROLL) value; "" when denied
	Origin    string // the parent page's origin, for postMessage; "" for none
}

// frameTmpl shows the result and, like Duo's frame, hands the signed value
// to the parent page with postMessage; Duo's Web SDK script there appends
// the APP part and submits sig_response.
var frameTmpl = template.Must(template.New("frame").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Duo (simulated)</title></head>
<body>
<p>Login request for <strong id="duo-username">{{.Username}}</strong>:
<span id="duo-result">{{.Result}}</span> ({{.StatusMsg}})</p>
{{if .Cookie}}<input type="hidden" id="duo-sig-auth" name="sig_response_auth" value="{{.Cookie}}">
<div id="duo-post" data-cookie="{{.Cookie}}" data-origin="{{.Origin}}"></div>
<script>
(function () {
  var d = document.getElementById("duo-post");
  if (window.parent !== window && d.dataset.origin) {
    window.parent.postMessage(d.dataset.cookie, d.dataset.origin);
  }
})();
</script>{{end}}
</body></html>
`))

var errorTmpl = template.Must(template.New("error").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Duo error (simulated)</title></head>
<body><h1>Error</h1><p id="duo-error">{{.}}</p></body></html>
`))

func renderTemplate(w http.ResponseWriter, status int, t *template.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = t.Execute(w, data) // the client went away; nothing to do
}

func renderPrompt(w http.ResponseWriter, p promptPage) {
	// The Universal Prompt refuses to be framed; the Web SDK frame must be.
	if p.Session != "" {
		w.Header().Set("X-Frame-Options", "DENY")
	}
	renderTemplate(w, http.StatusOK, promptTmpl, p)
}

func renderError(w http.ResponseWriter, status int, msg string) {
	renderTemplate(w, status, errorTmpl, msg)
}
