/*
 * loader: a tiny AMD loader, so the standalone page runs the same core
 * modules (core/*.js) that RequireJS loads inside Monster-UI.
 *
 * Module ids are paths from the app root without ".js" ("core/api");
 * "./x" and "../x" are resolved against the requiring module. Each module
 * is one script file calling define([deps], factory) once; the factory
 * runs after its dependencies, with their exports as arguments. The
 * module named by this script's data-main attribute is loaded first.
 * Known limit: a dependency cycle never resolves (the core has none).
 */
(function(global) {
	'use strict';

	var self = document.currentScript;
	var root = new URL('../', self.src).href;
	var modules = {};
	var definitions = {};

	function resolve(dep, parentId) {
		if (dep.charAt(0) !== '.') {
			return dep;
		}
		var parts = parentId.split('/');
		parts.pop();
		dep.split('/').forEach(function(part) {
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
			deps = [];
		}
		var script = document.currentScript;
		var id = script && script.getAttribute('data-module');
		if (!id) {
			throw new Error('define() called outside a module script');
		}
		definitions[id] = { deps: deps, factory: factory };
	}

	function fetchScript(id) {
		return new Promise(function(done, fail) {
			var script = document.createElement('script');
			script.src = root + id + '.js';
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

	function load(id) {
		if (!modules[id]) {
			modules[id] = fetchScript(id).then(function(def) {
				return Promise.all(def.deps.map(function(dep) {
					return load(resolve(dep, id));
				})).then(function(values) {
					return def.factory.apply(null, values);
				});
			});
		}
		return modules[id];
	}

	global.define = define;
	load(self.getAttribute('data-main')).catch(function(err) {
		var main = document.getElementById('duo-root');
		main.setAttribute('role', 'alert');
		main.textContent = err.message;
		main.removeAttribute('aria-busy');
	});
}(window));
