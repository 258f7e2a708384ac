// Package ui is the Duo Integration app's front end, and serves its
// standalone host.
//
// One code base runs in two hosts:
//
//   - Monster-UI: app/app.js is a thin AMD adapter (the app object with
//     name, css, i18n, requests, subscribe, load, render) that Monster-UI
//     loads from its apps folder. It calls this module's API through the
//     app's api_url with the user's auth token. ui/dist.sh assembles that
//     folder (app.js, core/, views/, style/, i18n/, metadata/).
//   - Standalone: Handler serves standalone/index.html and its assets from
//     the binary, for operators without Monster-UI: a sign-in screen takes
//     a KAZOO token and account id, then the same tabs run, showing dates
//     in the time zone the API's GET /duo/preferences reports (the KAZOO
//     user's, else the account's, as Monster-UI resolves it).
//
// All behaviour lives in app/core/*.js, AMD modules written without
// jQuery: RequireJS loads them inside Monster-UI, standalone/js/loader.js
// outside it. Views are Handlebars (app/views/*.html); Monster-UI compiles
// them itself, the standalone page uses standalone/gen/templates.js,
// precompiled by ui/precompile.sh so that its Content-Security-Policy
// needs no eval. Texts come from the i18n package's files.
//
// Tools beside the sources: vendor.sh refreshes the vendored Handlebars
// runtime, precompile.sh regenerates the precompiled views, dist.sh builds
// the Monster-UI app folder, test/ holds the core's Node unit tests (run by
// this package's Go tests) and tools/icongen draws the app store icon.
// browsertest/ drives both hosts in Chromium against the real service
// (and takes the app store screenshots); its helpers rely on the app's
// ids (duo-f-<setting>, duo-tab-*), data-action and data-role hooks,
// data-error-for="<API path>" and aria-busy on the panels while they load.
package ui
