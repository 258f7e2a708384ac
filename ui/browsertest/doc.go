// Package browsertest holds the Duo Integration app's browser tests: the
// standalone host served by the real service (app.New through
// app/apptest, over the CouchDB-API server at COUCH_URL), driven in
// Debian's Chromium with chromedp, and the Monster-UI adapter (app.js,
// as ui/dist.sh ships it) loaded in a small fake Monster-UI shell.
//
// The package has no code of its own; its tests cover:
//
//   - Settings: create with a generated key, the quick start guide's
//     example values rejected beside each field, edit, secrets never shown
//     again, delete after confirmation, test connection against the Duo
//     simulator (success and a wrong secret key);
//   - Failure Logs: the empty state, listing, search, filters, paging,
//     details and the CSV download, over attempts written to the
//     account's MODbs by package attempts; dates and date filters in the
//     KAZOO user's time zone, whatever the browser's;
//   - keyboard-only use of both tabs, a label for every control, no
//     horizontal overflow at 1280 and 800 pixels;
//   - languages: switching in the page, and the API's validation messages
//     in the language of Accept-Language;
//   - the screenshots of the app store (TestScreenshots), written to
//     artifacts/screenshots/ on every run and, with -update-screenshots,
//     to metadata/screenshots/ (scripts/screenshots.sh).
//
// One Chromium serves the whole package (a tab per test); it starts with
// the first browser test and is stopped, with every process it spawned,
// when the tests end. Without /usr/bin/chromium (or CHROMIUM naming
// another binary) the browser tests fail: scripts/deps.sh install adds
// it. With -short they are skipped, like every integration test.
package browsertest
