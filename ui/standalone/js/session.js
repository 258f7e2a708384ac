/*
 * session: what the standalone page remembers for the browser tab, in
 * sessionStorage: the KAZOO auth token and account id the operator signed
 * in with, and the chosen language. Closing the tab forgets them.
 */
define(function() {
	'use strict';

	var SESSION = 'duo-kazoo.session';
	var LANGUAGE = 'duo-kazoo.language';
	var ACCOUNT_ID = /^[0-9a-f]{32}$/;

	// get returns {token, accountId}, or null when nothing valid is stored.
	function get() {
		var s;
		try {
			s = JSON.parse(sessionStorage.getItem(SESSION));
		} catch (e) {
			return null;
		}
		if (!s || typeof s.token !== 'string' || !s.token ||
				typeof s.accountId !== 'string' || !ACCOUNT_ID.test(s.accountId)) {
			return null;
		}
		return { token: s.token, accountId: s.accountId };
	}

	function set(s) {
		sessionStorage.setItem(SESSION, JSON.stringify({ token: s.token, accountId: s.accountId }));
	}

	function clear() {
		sessionStorage.removeItem(SESSION);
	}

	function language() {
		return sessionStorage.getItem(LANGUAGE) || '';
	}

	function setLanguage(tag) {
		sessionStorage.setItem(LANGUAGE, tag);
	}

	return {
		ACCOUNT_ID: ACCOUNT_ID,
		get: get,
		set: set,
		clear: clear,
		language: language,
		setLanguage: setLanguage
	};
});
