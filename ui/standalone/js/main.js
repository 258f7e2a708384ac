/*
 * main: the standalone host. It loads the translations, shows the sign-in
 * screen or, once signed in, the app mounted by the shared core with what
 * this host provides: precompiled Handlebars views, the API on this same
 * server, and the user's time zone as that API reports it (the KAZOO
 * user's, else the account's; the browser's own when neither sets one).
 */
define(['core/i18n', 'core/api', 'core/shell', 'core/dom', './session', './signin'],
function(i18n, api, shell, dom, session, signin) {
	'use strict';

	var root = document.getElementById('duo-root');

	function getJSON(path) {
		return fetch(path, { credentials: 'same-origin' }).then(function(r) {
			if (!r.ok) {
				throw new Error(path + ': HTTP ' + r.status);
			}
			return r.json();
		});
	}

	// pickLanguage prefers the tab's choice, then the browser's languages
	// (exact tag, then same primary language), then the default.
	function pickLanguage(available, fallback) {
		var wanted = [session.language()].concat(navigator.languages || [navigator.language]);
		for (var i = 0; i < wanted.length; i++) {
			var tag = String(wanted[i] || '').toLowerCase();
			var exact = available.filter(function(a) { return a.toLowerCase() === tag; })[0];
			var primary = available.filter(function(a) {
				return tag && a.toLowerCase().split('-')[0] === tag.split('-')[0];
			})[0];
			if (exact || primary) {
				return exact || primary;
			}
		}
		return fallback;
	}

	// userTimeZone resolves to the signed-in user's IANA time zone, or
	// undefined (the browser's own) when KAZOO sets none or the API cannot
	// say: the tabs still open, and show any error of their own calls.
	function userTimeZone(client) {
		return client.getPreferences().then(function(prefs) {
			return prefs.timezone || undefined;
		}, function() {
			return undefined;
		});
	}

	function start(index, lang, fallbackDict, dict) {
		var translator = i18n.create(dict, fallbackDict, lang);
		var merged = i18n.merge(fallbackDict, dict);
		var t = translator.t;
		var languages = index.languages.map(function(tag) {
			return { tag: tag, label: t('languages.' + tag), selected: tag === lang };
		});

		function render(view, data) {
			return window.Handlebars.templates[view](Object.assign({}, data, { i18n: merged }));
		}

		function changeLanguage(tag) {
			session.setLanguage(tag);
			window.location.reload();
		}

		function showSignin(message) {
			signin.show(root, {
				render: render,
				t: t,
				message: message,
				languages: languages,
				onLanguage: changeLanguage,
				done: function(s) {
					session.set(s);
					showApp(s);
				}
			});
		}

		function showApp(s) {
			root.innerHTML = render('frame', {
				account: t('signin.account', { account: s.accountId }),
				languages: languages
			});
			dom.one(root, '[data-role="language"]').addEventListener('change', function(event) {
				changeLanguage(event.target.value);
			});
			dom.one(root, '[data-action="sign-out"]').addEventListener('click', function() {
				session.clear();
				window.location.reload();
			});
			var client = api.create({
				baseUrl: new URL('v2/', document.baseURI).href,
				accountId: s.accountId,
				language: lang,
				token: function() { return s.token; },
				onUnauthorized: function(err) {
					session.clear();
					showSignin(translator.has('errors.' + err.code) ?
						t('errors.' + err.code) : t('errors.unauthorized'));
				}
			});
			var app = dom.one(root, '[data-role="app"]');
			app.setAttribute('aria-busy', 'true');
			userTimeZone(client).then(function(zone) {
				// A rejected token has already brought the sign-in back.
				if (!app.isConnected) {
					return;
				}
				app.removeAttribute('aria-busy');
				shell.mount(app, { i18n: translator, render: render, timeZone: zone, api: client });
			});
		}

		document.documentElement.lang = lang;
		document.title = t('app.title');
		root.removeAttribute('aria-busy');
		var s = session.get();
		if (s) {
			showApp(s);
		} else {
			showSignin('');
		}
	}

	return getJSON('i18n/index.json').then(function(index) {
		var lang = pickLanguage(index.languages, index['default']);
		return Promise.all([
			getJSON('i18n/' + index['default'] + '.json'),
			lang === index['default'] ? {} : getJSON('i18n/' + lang + '.json')
		]).then(function(dicts) {
			start(index, lang, dicts[0], dicts[1]);
		});
	});
});
