// Package i18n holds the translations shared by the Duo Integration app and
// the HTTP API, and looks messages up in them.
//
// The canonical files are the JSON documents beside this file, one per
// language, named after the language tag (en-US.json, fr-FR.json, ...).
// They use Monster-UI's format: nested objects whose leaves are strings,
// addressed by dotted keys ("settings.fields.name.label"), with {{name}}
// placeholders. A message whose key extends another message's key
// ("validation.pattern.blank" beside "validation.pattern") is a member
// whose name holds the rest of the key: {"validation": {"pattern": "...",
// "pattern.blank": "..."}}; a key spelled twice is an error. en-US is
// complete and is the fallback for any key another language lacks; tests
// keep every language's key set identical anyway.
//
// The same files serve three readers:
//
//   - the Monster-UI app (ui/dist.sh copies them into the app folder);
//   - the standalone app, which the ui package serves from FS();
//   - the API, which localises its error texts with Lookup after picking
//     the caller's language with Negotiate. The keys the API uses live
//     under "validation." (one per key of provider.Messages, with the
//     same {{target}}, {{values}} and {{example}} placeholders),
//     "errors." (one per error key the handlers send) and "reasons."
//     (one per failure reason code). Tests fail when any is missing.
//
// A Bundle is immutable once built and safe for concurrent use.
package i18n
