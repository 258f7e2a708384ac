package secrets

import (
	"errors"
	"testing"
)

// FuzzOpen feeds arbitrary stored values and bindings to Open: it must
// never panic, and every failure must be one of the documented errors.
func FuzzOpen(f *testing.F) {
	primary := make([]byte, KeySize)
	for i := range primary {
		primary[i] = byte(i)
	}
	r, err := NewKeyring(primary)
	if err != nil {
		f.Fatal(err)
	}
	good, err := r.Seal("Zb0mUjLq4eXnVbR6sD2fHk8wPq1tYz9aC3gJ5uMx", bind)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, bind.AccountID, bind.DocID, bind.Field)
	f.Add("dk1:"+r.PrimaryID()+":", "a", "d", "f")
	f.Add("dk1:00000000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "a", "d", "f")
	f.Add("dk1:", "", "", "")
	f.Add("plain secret", "a", "d", "f")

	f.Fuzz(func(t *testing.T, stored, acct, doc, field string) {
		b := Binding{AccountID: acct, DocID: doc, Field: field}
		pt, err := r.Open(stored, b)
		if err != nil {
			for _, e := range []error{ErrFormat, ErrDecrypt, ErrUnknownKey, ErrBinding} {
				if errors.Is(err, e) {
					return
				}
			}
			t.Fatalf("undocumented error %v", err)
		}
		if !IsSealed(stored) && pt != stored {
			t.Fatalf("plaintext value changed by Open")
		}
		_ = r.NeedsRotation(stored)
	})
}
