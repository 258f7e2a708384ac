/*
 * i18n: message lookup over Monster-UI dictionaries (nested objects whose
 * leaves are strings, addressed by dotted keys, with {{name}} placeholders).
 *
 * create(dict, fallback, lang) returns a translator whose t(key, params)
 * reads dict, then fallback (the en-US dictionary), and answers the key
 * itself when neither has it, so a missing text is visible, never blank.
 */
define(function() {
	'use strict';

	var PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

	// get returns the string at a dotted key of dict, or undefined.
	function get(dict, key) {
		var node = dict;
		var parts = String(key).split('.');
		for (var i = 0; i < parts.length; i++) {
			if (node === null || typeof node !== 'object' ||
					!Object.prototype.hasOwnProperty.call(node, parts[i])) {
				return undefined;
			}
			node = node[parts[i]];
		}
		return typeof node === 'string' ? node : undefined;
	}

	// format replaces {{name}} with params[name]; unknown names stay as they are.
	function format(msg, params) {
		if (!params) {
			return msg;
		}
		return msg.replace(PLACEHOLDER, function(match, name) {
			return Object.prototype.hasOwnProperty.call(params, name) ?
				String(params[name]) : match;
		});
	}

	// merge returns a deep copy of fallback overlaid with dict: the
	// dictionary templates see, complete even where dict lacks a key.
	function merge(fallback, dict) {
		var out = {};
		[fallback, dict].forEach(function(source) {
			Object.keys(source || {}).forEach(function(k) {
				var v = source[k];
				if (v !== null && typeof v === 'object') {
					out[k] = merge(out[k] && typeof out[k] === 'object' ? out[k] : {}, v);
				} else {
					out[k] = v;
				}
			});
		});
		return out;
	}

	function create(dict, fallback, lang) {
		function lookup(key) {
			var msg = get(dict, key);
			return msg === undefined ? get(fallback, key) : msg;
		}
		return {
			lang: lang,
			t: function(key, params) {
				var msg = lookup(key);
				return msg === undefined ? key : format(msg, params);
			},
			has: function(key) {
				return lookup(key) !== undefined;
			}
		};
	}

	return { create: create, format: format, merge: merge };
});
