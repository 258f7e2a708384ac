package couch

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Well-known KAZOO databases.
const (
	AccountsDB     = "accounts"
	SystemAuthDB   = "system_auth"
	SystemConfigDB = "system_config"
)

// gregorianOffset is the number of seconds from year 0 to the Unix epoch:
// KAZOO's timestamps are Gregorian seconds.
const gregorianOffset = 62167219200

// Gregorian returns t in Gregorian seconds, KAZOO's timestamp unit.
func Gregorian(t time.Time) int64 { return t.Unix() + gregorianOffset }

// FromGregorian turns Gregorian seconds back into a time.
func FromGregorian(g int64) time.Time { return time.Unix(g-gregorianOffset, 0).UTC() }

// ValidID reports whether id has the shape of a KAZOO account, user or
// document id: 32 lowercase hex characters.
func ValidID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// AccountDB returns the raw name of an account's database,
// account/XX/YY/REST. The driver URL-encodes it on the wire.
func AccountDB(accountID string) (string, error) {
	if !ValidID(accountID) {
		return "", fmt.Errorf("account id %q: %w", accountID, ErrInvalidID)
	}
	return "account/" + accountID[:2] + "/" + accountID[2:4] + "/" + accountID[4:], nil
}

// EncodedAccountDB returns the account database name as KAZOO stores it in
// pvt_account_db: account%2FXX%2FYY%2FREST.
func EncodedAccountDB(accountID string) (string, error) {
	name, err := AccountDB(accountID)
	if err != nil {
		return "", err
	}
	return url.PathEscape(name), nil
}

// MODB returns the raw name of the account's monthly database for the month
// of t (in UTC): the account db name plus -YYYYMM.
func MODB(accountID string, t time.Time) (string, error) {
	name, err := AccountDB(accountID)
	if err != nil {
		return "", err
	}
	return name + "-" + t.UTC().Format("200601"), nil
}

// MODBForID returns the MODb that holds a document with a MODb id
// (YYYYMM-<32 hex>): the prefix names the month.
func MODBForID(accountID, docID string) (string, error) {
	month, ok := MonthOfID(docID)
	if !ok {
		return "", fmt.Errorf("modb document id %q: %w", docID, ErrInvalidID)
	}
	return MODB(accountID, month)
}

// MonthOfID parses the month prefix of a MODb document id.
func MonthOfID(docID string) (time.Time, bool) {
	prefix, rest, ok := strings.Cut(docID, "-")
	if !ok || len(prefix) != 6 || !ValidID(rest) {
		return time.Time{}, false
	}
	t, err := time.Parse("200601", prefix)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// MODBID returns a MODb document id for the month of t: YYYYMM-<id>.
func MODBID(t time.Time, id string) string {
	return t.UTC().Format("200601") + "-" + id
}

// Months returns the first instant of every month from the month of
// from to the month of to, inclusive, newest first.
func Months(from, to time.Time) []time.Time {
	from, to = from.UTC(), to.UTC()
	if to.Before(from) {
		return nil
	}
	first := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	m := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC)
	var out []time.Time
	for !m.Before(first) {
		out = append(out, m)
		m = m.AddDate(0, -1, 0)
	}
	return out
}
