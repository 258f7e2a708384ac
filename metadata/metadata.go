// Package metadata is the Duo Integration app's entry in KAZOO's app
// store: app.json (the manifest, valid against KAZOO's app schema, of
// which app.schema.json is this project's written copy), icon/ and
// screenshots/ (regenerated from the real UI by `make screenshots`, see
// ui/browsertest). Operators install the folder with
// `sup crossbar_maintenance init_app <dir> <api_url>`; ui/dist.sh puts it
// in the Monster-UI app folder.
//
// The Go side only needs the icon, which the standalone page shows.
package metadata

import _ "embed"

//go:embed icon/duo_integration.png
var icon []byte

// Icon returns the app's PNG icon. The slice is shared: do not modify it.
func Icon() []byte { return icon }
