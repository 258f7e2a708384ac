package couch

import (
	"errors"
	"testing"
	"time"
)

const acct = "0123456789abcdef0123456789abcdef"

func TestAccountDBNames(t *testing.T) {
	raw, err := AccountDB(acct)
	if err != nil || raw != "account/01/23/456789abcdef0123456789abcdef" {
		t.Fatalf("AccountDB = %q, %v", raw, err)
	}
	enc, _ := EncodedAccountDB(acct)
	if want := "account%2F01%2F23%2F456789abcdef0123456789abcdef"; enc != want {
		t.Fatalf("EncodedAccountDB = %q, want %q", enc, want)
	}
	modb, _ := MODB(acct, time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC))
	if want := raw + "-202612"; modb != want {
		t.Fatalf("MODB = %q, want %q", modb, want)
	}
	for _, bad := range []string{"", "0123", acct + "0", "0123456789ABCDEF0123456789ABCDEF",
		"../23456789abcdef0123456789abcdef"} {
		if _, err := AccountDB(bad); !errors.Is(err, ErrInvalidID) {
			t.Errorf("AccountDB(%q) error = %v, want ErrInvalidID", bad, err)
		}
	}
}

func TestMODBIDs(t *testing.T) {
	id := MODBID(time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC), acct)
	if id != "202603-"+acct {
		t.Fatalf("MODBID = %q", id)
	}
	db, err := MODBForID(acct, id)
	if err != nil || db != "account/01/23/456789abcdef0123456789abcdef-202603" {
		t.Fatalf("MODBForID = %q, %v", db, err)
	}
	for _, bad := range []string{"202613-" + acct, "2026-" + acct, "202603" + acct,
		"202603-xyz", ""} {
		if _, err := MODBForID(acct, bad); !errors.Is(err, ErrInvalidID) {
			t.Errorf("MODBForID(%q) error = %v, want ErrInvalidID", bad, err)
		}
	}
}

func TestMonthsNewestFirst(t *testing.T) {
	from := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
	got := Months(from, to)
	want := []string{"202602", "202601", "202512", "202511"}
	if len(got) != len(want) {
		t.Fatalf("Months = %v, want %v", got, want)
	}
	for i, m := range got {
		if m.Format("200601") != want[i] {
			t.Errorf("Months[%d] = %s, want %s", i, m.Format("200601"), want[i])
		}
	}
	if got := Months(to, from); got != nil {
		t.Errorf("Months(to, from) = %v, want nil", got)
	}
}

func TestGregorianRoundTrip(t *testing.T) {
	now := time.Unix(1_780_000_000, 0).UTC()
	if g := Gregorian(now); g != 1_780_000_000+62167219200 {
		t.Fatalf("Gregorian = %d", g)
	}
	if back := FromGregorian(Gregorian(now)); !back.Equal(now) {
		t.Fatalf("FromGregorian = %v, want %v", back, now)
	}
}
