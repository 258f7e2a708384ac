package handlers_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/duo-kazoo/duo-kazoo/app/apptest"
	"github.com/duo-kazoo/duo-kazoo/couch"
	"github.com/duo-kazoo/duo-kazoo/internal/testenv"
	"github.com/duo-kazoo/duo-kazoo/kazooauth"
)

func TestTokenMatrix(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	k := e.KAZOO
	sub := k.Sub
	path := accountPath(sub.ID) + "/duo"
	valid := sub.Admin.Token

	expired, err := k.Mint(sub.ID, sub.Admin.ID, sub.Admin.Secret, time.Now().Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	wrongKid, err := kazooauth.Mint(otherKey, testenv.NewID(), kazooauth.MintClaims{
		AccountID: sub.ID, OwnerID: sub.Admin.ID, ExpiresAt: time.Now().Add(time.Hour)},
		sub.Admin.Secret, k.SystemSecret)
	if err != nil {
		t.Fatal(err)
	}
	// The right kid, signed by someone else's key.
	forged, err := kazooauth.Mint(otherKey, k.KeyID, kazooauth.MintClaims{
		AccountID: sub.ID, OwnerID: sub.Admin.ID, ExpiresAt: time.Now().Add(time.Hour)},
		sub.Admin.Secret, k.SystemSecret)
	if err != nil {
		t.Fatal(err)
	}
	badIdentity, err := k.Mint(sub.ID, sub.Admin.ID, "not-the-users-secret",
		time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}

	parts := strings.Split(valid, ".")
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tamperedClaims := strings.Replace(string(claims), sub.ID, k.Master.ID, 1)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(tamperedClaims)) +
		"." + parts[2]
	algNone := base64.RawURLEncoding.EncodeToString([]byte(
		`{"alg":"none","typ":"JWT","kid":"`+k.KeyID+`"}`)) + "." + parts[1] + "."
	hs256 := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"account_id": sub.ID, "owner_id": sub.Admin.ID, "iss": "kazoo",
		"exp": time.Now().Add(time.Hour).Unix()})
	hs256.Header["kid"] = k.KeyID
	pubDER, err := x509.MarshalPKIXPublicKey(&k.Key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hsWithPublicKey, err := hs256.SignedString(pubPEM)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		token  string
		header string
		want   int
	}{
		{"valid", valid, "X-Auth-Token", 200},
		{"valid bearer", valid, "Authorization", 200},
		{"missing", "", "X-Auth-Token", 401},
		{"expired", expired, "X-Auth-Token", 401},
		{"tampered payload", tampered, "X-Auth-Token", 401},
		{"unknown kid", wrongKid, "X-Auth-Token", 401},
		{"forged with another key", forged, "X-Auth-Token", 401},
		{"alg none", algNone, "X-Auth-Token", 401},
		{"HS256 signed with the public key", hsWithPublicKey, "X-Auth-Token", 401},
		{"bad identity signature", badIdentity, "X-Auth-Token", 401},
		{"garbage", "not.a.token", "X-Auth-Token", 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			headers := map[string]string{}
			if tc.token != "" {
				if tc.header == "Authorization" {
					headers["Authorization"] = "Bearer " + tc.token
				} else {
					headers["X-Auth-Token"] = tc.token
				}
			}
			status, out := e.DoHeaders(t, http.MethodGet, path, "", nil, headers)
			if status != tc.want {
				t.Fatalf("status %d, want %d\n%s", status, tc.want, out)
			}
			if tc.want == 401 {
				env := apptest.Decode(t, out)
				reason, _ := env.Object(t)["message"].(string)
				if env.Message != "invalid_credentials" || reason == "" {
					t.Fatalf("401 without a reason: %s", out)
				}
				if tc.token != "" && strings.Contains(string(out), tc.token) {
					t.Fatalf("401 echoed the token")
				}
			}
		})
	}

	// Changing the user's signature secret revokes the token.
	t.Run("revoked identity", func(t *testing.T) {
		db, _ := couch.AccountDB(sub.ID)
		ctx := context.Background()
		user, err := e.Couch.Get(ctx, db, sub.Admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		user["pvt_signature_secret"] = "rotated-" + testenv.NewID()
		if _, err := e.Couch.Put(ctx, db, user); err != nil {
			t.Fatal(err)
		}
		if status, out := e.Do(t, http.MethodGet, path, valid, nil); status != 401 {
			t.Fatalf("token of a user whose secret changed: %d %s, want 401", status, out)
		}
	})
}

func TestAccountRelations(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	k := e.KAZOO
	ctx := context.Background()

	// A sibling of the sub-account, under the same reseller.
	sibling := testenv.NewID()
	db, _ := couch.AccountDB(sibling)
	if err := e.Couch.CreateDB(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Couch.Put(ctx, couch.AccountsDB, couch.Doc{"_id": sibling,
		"pvt_type": "account", "pvt_tree": []any{k.Master.ID, k.Reseller.ID}}); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		token  string
		target string
		method string
		want   int
	}{
		{"self read", k.Sub.Admin.Token, k.Sub.ID, http.MethodGet, 200},
		{"self write", k.Sub.Admin.Token, k.Sub.ID, http.MethodPut, 201},
		{"descendant read", k.Reseller.Admin.Token, k.Sub.ID, http.MethodGet, 200},
		{"descendant write", k.Reseller.Admin.Token, k.Sub.ID, http.MethodPut, 201},
		{"sibling", k.Sub.Admin.Token, sibling, http.MethodGet, 403},
		{"ancestor", k.Sub.Admin.Token, k.Reseller.ID, http.MethodGet, 403},
		{"ancestor of ancestor", k.Reseller.Admin.Token, k.Master.ID, http.MethodGet, 403},
		{"non-admin read", k.Sub.User.Token, k.Sub.ID, http.MethodGet, 200},
		{"non-admin write", k.Sub.User.Token, k.Sub.ID, http.MethodPut, 403},
		{"master admin anywhere", k.Master.Admin.Token, sibling, http.MethodPut, 201},
		{"api token of the account", k.Sub.APIToken, k.Sub.ID, http.MethodPut, 201},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.method == http.MethodPut {
				body = duoConfig("relation " + string(rune('a'+i)))
			}
			status, out := e.Do(t, tc.method, accountPath(tc.target)+"/duo", tc.token, body)
			if status != tc.want {
				t.Fatalf("status %d, want %d\n%s", status, tc.want, out)
			}
			if tc.want == 403 {
				if env := apptest.Decode(t, out); env.Message != "forbidden" {
					t.Fatalf("403 without reason: %s", out)
				}
			}
		})
	}
}
