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

	// get returns the string at a dotted key of dict, or undefined. A
	// member name may hold dots itself ("pattern.blank" beside "pattern",
	// as the i18n package allows), so each level tries the longest name
	// first.
	function get(dict, key) {
		return find(dict, String(key).split('.'));
	}

	function find(node, parts) {
		if (!parts.length) {
			return typeof node === 'string' ? node : undefined;
		}
		if (node === null || typeof node !== 'object') {
			return undefined;
		}
		for (var n = parts.length; n > 0; n--) {
			var name = parts.slice(0, n).join('.');
			if (Object.prototype.hasOwnProperty.call(node, name)) {
				var found = find(node[name], parts.slice(n));
				if (found !== undefined) {
					return found;
				}
			}
		}
		return undefined;
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
