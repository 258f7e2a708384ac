package duosim_test

import (
	"testing"

	"github.com/duosecurity/duo_api_golang/authapi"

	"github.com/duo-kazoo/duo-kazoo/duosim"
)

func TestEnrollThenActivate(t *testing.T) {
	sim := newSim(t, duosim.Options{})
	api := official(t, sim, testSKey)

	en, err := api.Enroll(authapi.EnrollUsername("newbie"), authapi.EnrollValidSeconds(600))
	if err != nil || en.Stat != "OK" {
		t.Fatalf("enroll: got %+v, %v", en, err)
	}
	r := en.Response
	if r.Username != "newbie" || r.User_Id == "" || r.Activation_Code == "" ||
		r.Activation_Barcode == "" {
		t.Fatalf("enroll reply: got %+v, want username, user id, code and barcode", r)
	}
	status := func() string {
		t.Helper()
		st, err := api.EnrollStatus(r.User_Id, r.Activation_Code)
		if err != nil || st.Stat != "OK" {
			t.Fatalf("enroll_status: got %+v, %v", st, err)
		}
		return st.Response
	}
	if got := status(); got != "waiting" {
		t.Errorf("before activation: got %q, want waiting", got)
	}
	if !sim.Activate("newbie") {
		t.Fatal("Activate: got false, want a pending enrollment")
	}
	if got := status(); got != "success" {
		t.Errorf("after activation: got %q, want success", got)
	}
	if st, _ := api.EnrollStatus(r.User_Id, "duo://WRONG"); st.Response != "invalid" {
		t.Errorf("wrong code: got %q, want invalid", st.Response)
	}

	pre, err := api.Preauth(authapi.PreauthUserId(r.User_Id))
	if err != nil || pre.Response.Result != "auth" {
		t.Errorf("preauth by user_id after activation: got %+v, %v; want auth", pre, err)
	}
	again, err := api.Enroll(authapi.EnrollUsername("newbie"))
	if err != nil || again.Stat != "FAIL" || code(again.StatResult) != duosim.CodeInvalidParams {
		t.Errorf("enrolling an enrolled user: got %+v, %v; want FAIL 40002", again, err)
	}
}
