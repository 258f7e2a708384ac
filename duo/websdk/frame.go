package websdk

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
)

// FrameVersion is the Duo Web SDK version the prompt URL announces.
const FrameVersion = "2.9"

// AuthFrameURL returns the address of Duo's prompt for an iframe:
// https://apiHost/frame/web/v1/auth?tx=duoPart&parent=parentURL&v=2.9.
// duoPart is the TX (or ENROLL_REQUEST) part of a sig_request, parentURL the
// address of the page holding the frame. apiHost may carry a ":port".
func AuthFrameURL(apiHost, duoPart, parentURL string) string {
	q := url.Values{}
	q.Set("tx", duoPart)
	q.Set("parent", parentURL)
	q.Set("v", FrameVersion)
	u := url.URL{Scheme: "https", Host: apiHost, Path: "/frame/web/v1/auth",
		RawQuery: q.Encode()}
	return u.String()
}

// GenerateAKey returns a fresh application secret key: 64 lowercase hex
// characters (256 bits from crypto/rand), above Duo's 40-character minimum.
func GenerateAKey() string {
	var b [32]byte
	rand.Read(b[:]) // never fails: crypto/rand.Read aborts the program instead
	return hex.EncodeToString(b[:])
}
