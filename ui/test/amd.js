// A minimal AMD loader for Node, so the tests can load the shared core
// modules (ui/app/core/*.js) exactly as the browsers do: each file calls
// define(deps, factory) and its relative dependencies are loaded first.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const CORE = path.join(__dirname, '..', 'app', 'core');
const cache = new Map();

function load(id) {
	if (cache.has(id)) {
		return cache.get(id);
	}
	const file = path.join(CORE, id + '.js');
	let exported;
	const define = (deps, factory) => {
		if (typeof deps === 'function') {
			factory = deps;
			deps = [];
		}
		const values = deps.map((dep) => load(path.posix.normalize(dep).replace(/^\.\//, '')));
		exported = factory(...values);
	};
	new Function('define', fs.readFileSync(file, 'utf8'))(define);
	cache.set(id, exported);
	return exported;
}

module.exports = { load };
