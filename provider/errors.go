package provider

import (
	"errors"
	"strings"
)

// Errors returned by this package; test with errors.Is. None of them
// carries a secret or a value from the document.
var (
	// ErrNotObject: the request data is valid JSON but not an object.
	ErrNotObject = errors.New("provider: data is not a JSON object")
	// ErrSyntax: the request data is not valid JSON.
	ErrSyntax = errors.New("provider: data is not valid JSON")
	// ErrInvalid: the document breaks validation rules; the error is a
	// *ValidationError holding every problem.
	ErrInvalid = errors.New("provider: invalid document")
	// ErrSealed: a typed Config was asked of a document whose secrets are
	// still sealed; Open the document first.
	ErrSealed = errors.New("provider: secrets are sealed")
)

// ValidationError carries the problems of an invalid document. It matches
// ErrInvalid with errors.Is. Its text names fields and rules only.
type ValidationError struct {
	Problems Problems
}

// Error lists the failing field paths and rules, sorted.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalid.Error())
	for i, path := range e.Problems.Paths() {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(path)
		b.WriteString(" (")
		b.WriteString(strings.Join(e.Problems.Rules(path), ", "))
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }
