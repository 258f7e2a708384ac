/*
 * A fake Monster-UI shell: just enough of the monster object to load an
 * app folder the way Monster-UI does (RequireJS, the app's css and i18n,
 * auth.initApp, monster.template) and render it into #monster-content.
 *
 * The page's query gives what Monster-UI would know: api (the app's
 * api_url), account, token and lang. Views are Handlebars templates
 * compiled ahead (the standalone page's gen/templates.js, built from the
 * same views/ files), since Monster-UI's own compiler is not here.
 * body[data-shell] ends "rendered", or "failed" with the error as text.
 */
(function() {
	'use strict';

	var params = new URLSearchParams(window.location.search);
	var lang = params.get('lang') || 'en-US';
	var appPath = 'apps/duo_integration';
	var topics = {};

	var monster = {
		config: { whitelabel: { language: lang } },
		apps: { auth: { currentUser: { timezone: 'UTC' }, currentAccount: {} } },
		sub: function(topic, fn) {
			(topics[topic] = topics[topic] || []).push(fn);
		},
		pub: function(topic, data) {
			(topics[topic] || []).forEach(function(fn) { fn(data); });
		},
		template: function(app, name, data) {
			var view = window.Handlebars.templates[name];
			if (!view) {
				throw new Error('no view ' + name);
			}
			return view(Object.assign({}, data, { i18n: app.i18n.active() }));
		}
	};

	// What Monster-UI's auth app gives every app it initialises.
	monster.sub('auth.initApp', function(args) {
		var app = args.app;
		app.apiUrl = params.get('api');
		app.accountId = params.get('account');
		app.authToken = params.get('token');
		app.getAuthToken = function() { return app.authToken; };
		if (args.callback) {
			args.callback();
		}
	});

	function getJSON(url) {
		return fetch(url).then(function(r) {
			if (!r.ok) {
				throw new Error(url + ': HTTP ' + r.status);
			}
			return r.json();
		});
	}

	function merge(base, over) {
		var out = Object.assign({}, base);
		Object.keys(over).forEach(function(k) {
			var v = over[k];
			out[k] = v && typeof v === 'object' && base[k] && typeof base[k] === 'object' ?
				merge(base[k], v) : v;
		});
		return out;
	}

	// monsterize adds what Monster-UI adds to a loaded app: its stylesheets,
	// its dictionaries (en-US, then the user's language over it) and
	// i18n.active().
	function monsterize(app) {
		(app.css || []).forEach(function(name) {
			var link = document.createElement('link');
			link.rel = 'stylesheet';
			link.href = appPath + '/style/' + name + '.css';
			document.head.appendChild(link);
		});
		var langs = lang === 'en-US' ? ['en-US'] : ['en-US', lang];
		return Promise.all(langs.map(function(l) {
			return getJSON(appPath + '/i18n/' + l + '.json');
		})).then(function(dicts) {
			app.data = app.data || {};
			app.data.i18n = {};
			langs.forEach(function(l, i) { app.data.i18n[l] = dicts[i]; });
			var active = dicts.length > 1 ? merge(dicts[0], dicts[1]) : dicts[0];
			app.i18n.active = function() { return active; };
			return app;
		});
	}

	function failed(err) {
		document.body.setAttribute('data-shell', 'failed');
		document.getElementById('monster-content').textContent = String(err && err.stack || err);
	}

	window.monster = monster;
	window.require.provide('monster', monster);
	window.require([appPath + '/app'], function(app) {
		monsterize(app).then(function() {
			app.load(function(loaded) {
				loaded.render(document.getElementById('monster-content'));
				document.body.setAttribute('data-shell', 'rendered');
			});
		}).catch(failed);
	}, failed);
}());
