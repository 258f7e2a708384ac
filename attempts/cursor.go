package attempts

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/duo-kazoo/duo-kazoo/couch"
)

// maxStartKey bounds the length of an encoded start key.
const maxStartKey = 256

// cursor is a position in the newest-first listing: the row with this
// timestamp (Gregorian seconds) and id. Listing keys end in [timestamp,
// id], which is unique, and the id's month names the MODb, so a cursor
// says exactly where a page ended whatever was inserted since.
type cursor struct {
	TS int64  `json:"t"`
	ID string `json:"i"`
}

// month is the first instant of the cursor's MODb month.
func (c cursor) month() time.Time {
	m, _ := couch.MonthOfID(c.ID)
	return m
}

// encode returns the opaque start key: base64url (no padding) of the JSON
// {"t": timestamp, "i": id}.
func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor parses a start key made by encode. Anything else is
// ErrBadStartKey.
func decodeCursor(s string) (cursor, error) {
	if len(s) > maxStartKey {
		return cursor{}, fmt.Errorf("%w: too long", ErrBadStartKey)
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, fmt.Errorf("%w: not base64url", ErrBadStartKey)
	}
	var c cursor
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return cursor{}, fmt.Errorf("%w: not a listing position", ErrBadStartKey)
	}
	if c.TS <= 0 {
		return cursor{}, fmt.Errorf("%w: bad timestamp", ErrBadStartKey)
	}
	if _, ok := couch.MonthOfID(c.ID); !ok {
		return cursor{}, fmt.Errorf("%w: bad attempt id", ErrBadStartKey)
	}
	return c, nil
}

// rowCursor reads the position of a listing view row: the last two
// elements of its key.
func rowCursor(key json.RawMessage) (cursor, error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(key, &parts); err != nil || len(parts) < 2 {
		return cursor{}, fmt.Errorf("attempts: unexpected view key %s", key)
	}
	var c cursor
	errTS := json.Unmarshal(parts[len(parts)-2], &c.TS)
	errID := json.Unmarshal(parts[len(parts)-1], &c.ID)
	if errTS != nil || errID != nil {
		return cursor{}, fmt.Errorf("attempts: unexpected view key %s", key)
	}
	return c, nil
}
