package provider

import (
	"encoding/json"
	"math"
	"strconv"
)

// Readers of generic JSON values. Each reports false for a value of
// another type, so validation can say "wrong type" with the field's path.

func asObject(v any) (map[string]any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return t, true
	case Doc:
		return t, true
	}
	return nil, false
}

func asArray(v any) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case []string:
		out := make([]any, len(t))
		for i, s := range t {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// asInt reads an integral number: a json.Number written as an integer, an
// integral float64 (CouchDB clients decode numbers so), or a Go integer.
func asInt(v any) (int64, bool) {
	switch t := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(t), 10, 64)
		return n, err == nil
	case float64:
		if t != math.Trunc(t) || math.Abs(t) > 1<<53 {
			return 0, false
		}
		return int64(t), true
	case int:
		return int64(t), true
	case int64:
		return t, true
	case int32:
		return int64(t), true
	}
	return 0, false
}

// absent reports whether a field counts as not given: missing, null, or
// the empty string.
func absent(v any, present bool) bool {
	return !present || v == nil || v == ""
}
