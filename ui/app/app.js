/*
 * The Duo Integration app for Monster-UI: a thin adapter. It tells
 * Monster-UI what the app is (name, css, languages), then hands the shared
 * core (core/*.js) what Monster-UI knows: the user's language and time
 * zone, the app's api_url, the auth token, and template rendering with
 * Monster-UI's own Handlebars and i18n.
 */
define(function(require) {
	'use strict';

	var monster = require('monster');
	var i18n = require('./core/i18n');
	var api = require('./core/api');
	var shell = require('./core/shell');

	var app = {
		name: 'duo_integration',

		css: ['app'],

		i18n: {
			'en-US': { customCss: false },
			'fr-FR': { customCss: false },
			'es-ES': { customCss: false }
		},

		requests: {},

		subscribe: {},

		load: function(callback) {
			var self = this;
			monster.pub('auth.initApp', {
				app: self,
				callback: function() {
					if (callback) {
						callback(self);
					}
				}
			});
		},

		render: function(container) {
			var self = this;
			var root = container && container.jquery ? container[0] : container;
			root = root || document.getElementById('monster_content') ||
				document.getElementById('monster-content');
			shell.mount(root, self.host());
		},

		// host gathers what the shared core needs from Monster-UI.
		host: function() {
			var self = this;
			var dictionaries = self.data.i18n || {};
			var translator = i18n.create(self.i18n.active(), dictionaries['en-US'], self.language());
			return {
				i18n: translator,
				timeZone: self.timeZone(),
				render: function(view, data) {
					return monster.template(self, view, data);
				},
				api: api.create({
					baseUrl: self.apiUrl,
					accountId: self.accountId,
					language: translator.lang,
					token: function() {
						return typeof self.getAuthToken === 'function' ?
							self.getAuthToken() : self.authToken;
					}
				})
			};
		},

		language: function() {
			var whitelabel = monster.config.whitelabel || {};
			return whitelabel.language || 'en-US';
		},

		// timeZone is the user's zone, else the account's, else undefined
		// (the browser's own).
		timeZone: function() {
			var auth = monster.apps.auth || {};
			var user = auth.currentUser || {};
			var account = auth.currentAccount || {};
			return user.timezone || account.timezone || undefined;
		}
	};

	return app;
});
