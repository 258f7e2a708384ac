/*
 * require-lite: a RequireJS stand-in for the fake Monster-UI shell. It
 * supports what Monster-UI apps use: define(factory) with the CommonJS
 * sugar (dependencies read from the factory's require('x') calls),
 * define([deps], factory), ids relative to the requiring module, and
 * require([ids], callback, errback). A module id maps to the script
 * "<id>.js" beside the page; "monster" is the shell's own object.
 */
(function(global) {
	'use strict';

	var REQUIRE_CALL = /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;
	var modules = {};
	var exported = {};
	var definitions = {};

	function resolve(id, parent) {
		if (id.charAt(0) !== '.') {
			return id;
		}
		var parts = parent.split('/');
		parts.pop();
		id.split('/').forEach(function(part) {
			if (part === '..') {
				parts.pop();
			} else if (part !== '.') {
				parts.push(part);
			}
		});
		return parts.join('/');
	}

	function define(deps, factory) {
		if (typeof deps === 'function') {
			factory = deps;
			deps = ['require'];
			String(factory).replace(REQUIRE_CALL, function(match, dep) {
				deps.push(dep);
			});
		}
		var script = document.currentScript;
		var id = script && script.getAttribute('data-module');
		if (!id) {
			throw new Error('define() outside a module script');
		}
		definitions[id] = { deps: deps, factory: factory };
	}
	define.amd = {};

	function fetchScript(id) {
		return new Promise(function(done, fail) {
			var script = document.createElement('script');
			script.src = id + '.js';
			script.setAttribute('data-module', id);
			script.onload = function() {
				if (definitions[id]) {
					done(definitions[id]);
				} else {
					fail(new Error(id + ': no define() call'));
				}
			};
			script.onerror = function() {
				fail(new Error(id + ': could not be loaded'));
			};
			document.head.appendChild(script);
		});
	}

	// localRequire is the synchronous require a factory receives: it
	// answers modules already loaded as its dependencies.
	function localRequire(parent) {
		return function(dep) {
			var id = resolve(dep, parent);
			if (!Object.prototype.hasOwnProperty.call(exported, id)) {
				throw new Error(parent + ': ' + dep + ' was not loaded first');
			}
			return exported[id];
		};
	}

	function load(id) {
		if (!modules[id]) {
			modules[id] = fetchScript(id).then(function(def) {
				var wanted = def.deps.filter(function(d) { return d !== 'require'; });
				return Promise.all(wanted.map(function(dep) {
					return load(resolve(dep, id));
				})).then(function() {
					var args = def.deps.map(function(dep) {
						return dep === 'require' ? localRequire(id) : exported[resolve(dep, id)];
					});
					exported[id] = def.factory.apply(null, args);
					return exported[id];
				});
			});
		}
		return modules[id];
	}

	function require(ids, callback, errback) {
		Promise.all(ids.map(load)).then(function(values) {
			callback.apply(null, values);
		}, errback);
	}

	// provide registers a module the page already has.
	require.provide = function(id, value) {
		exported[id] = value;
		modules[id] = Promise.resolve(value);
	};

	global.define = define;
	global.require = require;
}(window));
