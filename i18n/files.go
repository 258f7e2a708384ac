package i18n

import "embed"

// files holds the canonical translation files, embedded in the binary.
//
//go:embed *.json
var files embed.FS
