/*
 * api: the client of this module's HTTP API (crossbar envelope), shared by
 * both hosts.
 *
 * create(options) takes:
 *   baseUrl        the API root ending in "v2/" (Monster-UI's api_url);
 *   accountId      the account whose configurations are managed;
 *   token()        returns the current KAZOO auth token (X-Auth-Token);
 *   language       sent as Accept-Language, so API texts come localised;
 *   fetch          optional fetch implementation (tests);
 *   onUnauthorized optional callback for every 401 answer.
 * Every method returns a Promise; failures reject with an ApiError.
 */
define(function() {
	'use strict';

	// ApiError is a failed call: status 0 for a network failure, else the
	// HTTP status; code is the envelope's short name ("invalid_request"),
	// "network", or empty for an answer without an envelope; data is the
	// envelope's data (field errors for a 400).
	function ApiError(status, code, data) {
		this.name = 'ApiError';
		this.message = 'duo api: ' + status + ' ' + code;
		this.status = status;
		this.code = code;
		this.data = data;
	}
	ApiError.prototype = Object.create(Error.prototype);
	ApiError.prototype.constructor = ApiError;

	// fieldErrors lists a 400's validation failures as
	// [{path, rule, message, key, params}], in the order the API gave
	// them: key is the i18n key of the message ('' when the API sent
	// none) and params its placeholders' values (the problem itself when
	// the API sent no params, so that {{target}} still finds its limit).
	ApiError.prototype.fieldErrors = function() {
		var out = [];
		var data = this.data;
		if (this.status !== 400 || !data || typeof data !== 'object') {
			return out;
		}
		Object.keys(data).forEach(function(path) {
			var rules = data[path];
			if (!rules || typeof rules !== 'object' || Array.isArray(rules)) {
				return;
			}
			Object.keys(rules).forEach(function(rule) {
				var detail = rules[rule] || {};
				var params = detail.params;
				out.push({
					path: path,
					rule: rule,
					message: typeof detail.message === 'string' ? detail.message : '',
					key: typeof detail.key === 'string' ? detail.key : '',
					params: params && typeof params === 'object' ? params : detail
				});
			});
		});
		return out;
	};

	function query(params) {
		var parts = [];
		Object.keys(params || {}).forEach(function(k) {
			var v = params[k];
			if (v !== undefined && v !== null && v !== '') {
				parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(v));
			}
		});
		return parts.length ? '?' + parts.join('&') : '';
	}

	// readEnvelope parses a JSON answer, turning any failure into ApiError.
	function readEnvelope(response) {
		return response.text().then(function(text) {
			var body = null;
			try {
				body = text ? JSON.parse(text) : null;
			} catch (e) {
				body = null;
			}
			var failed = !response.ok || !body || body.status === 'error';
			if (failed) {
				var code = body && typeof body.message === 'string' ? body.message : '';
				throw new ApiError(response.status, code, body ? body.data : null);
			}
			return body;
		});
	}

	function create(options) {
		var base = String(options.baseUrl).replace(/\/*$/, '/');
		var doFetch = options.fetch || function(url, init) {
			return window.fetch(url, init);
		};

		function url(path, params) {
			return base + 'accounts/' + encodeURIComponent(options.accountId) +
				'/duo' + path + query(params);
		}

		function send(method, path, opts) {
			var headers = {
				'X-Auth-Token': options.token(),
				'Accept': opts.csv ? 'text/csv' : 'application/json'
			};
			if (options.language) {
				headers['Accept-Language'] = options.language;
			}
			var init = { method: method, headers: headers };
			if (opts.body !== undefined) {
				headers['Content-Type'] = 'application/json';
				init.body = JSON.stringify({ data: opts.body });
			}
			return doFetch(url(path, opts.params), init).then(function(response) {
				if (opts.csv && response.ok) {
					return response.blob();
				}
				return readEnvelope(response);
			}, function() {
				throw new ApiError(0, 'network', null);
			}).catch(function(err) {
				if (err instanceof ApiError && err.status === 401 && options.onUnauthorized) {
					options.onUnauthorized(err);
				}
				throw err;
			});
		}

		function id(value) {
			return '/' + encodeURIComponent(value);
		}

		return {
			listConfigs: function() {
				return send('GET', '', {}).then(function(env) { return env.data || []; });
			},
			getConfig: function(configId) {
				return send('GET', id(configId), {}).then(function(env) {
					return { config: env.data, revision: env.revision };
				});
			},
			createConfig: function(config) {
				return send('PUT', '', { body: config }).then(function(env) { return env.data; });
			},
			replaceConfig: function(configId, config) {
				return send('POST', id(configId), { body: config }).then(function(env) {
					return env.data;
				});
			},
			deleteConfig: function(configId) {
				return send('DELETE', id(configId), {}).then(function() { return true; });
			},
			checkConfig: function(configId) {
				return send('PUT', id(configId) + '/check', { body: {} }).then(function(env) {
					return env.data;
				});
			},
			generateKey: function() {
				return send('PUT', '/application_secret_key', { body: {} }).then(function(env) {
					return env.data.application_secret_key;
				});
			},
			listFailures: function(params) {
				return send('GET', '/failure_logs', { params: params }).then(function(env) {
					return {
						rows: env.data || [],
						nextStartKey: env.next_start_key,
						pageSize: env.page_size
					};
				});
			},
			getFailure: function(attemptId) {
				return send('GET', '/failure_logs' + id(attemptId), {}).then(function(env) {
					return env.data;
				});
			},
			// getPreferences returns the signed-in user's {timezone}: the
			// user's zone, else the account's, else "" (GET /duo/preferences;
			// hosts without a KAZOO session of their own call it).
			getPreferences: function() {
				return send('GET', '/preferences', {}).then(function(env) {
					return env.data || {};
				});
			},
			exportFailures: function(params) {
				return send('GET', '/failure_logs', { params: params, csv: true });
			}
		};
	}

	return { create: create, ApiError: ApiError };
});
