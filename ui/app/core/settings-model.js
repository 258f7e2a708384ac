/*
 * settings-model: the Settings form's data, without the DOM.
 *
 * viewModel(config) turns a configuration as the API shows it (secrets
 * replaced by *_set flags) into what the settings-form view needs, the
 * defaults standing in for settings it omits; null means a new
 * configuration. payload(values) turns the form's values
 * (dom.formValues) back into the body of a create or replace call;
 * errorTarget(path, names) finds the input an API field error belongs to.
 */
define(function() {
	'use strict';

	var PROVIDERS = ['duo', 'duo_universal'];
	var FACTORS = ['push', 'sms', 'phone', 'passcode'];

	// FIELDS lists the text settings: the providers that use each, and for
	// write-only secrets the flag that says a value is stored.
	var FIELDS = [
		{ name: 'integration_key', providers: ['duo'] },
		{ name: 'secret_key', providers: ['duo'], secret: 'secret_key_set' },
		{ name: 'application_secret_key', providers: ['duo'],
			secret: 'application_secret_key_set' },
		{ name: 'client_id', providers: ['duo_universal'] },
		{ name: 'client_secret', providers: ['duo_universal'], secret: 'client_secret_set' },
		{ name: 'api_hostname', providers: PROVIDERS },
		{ name: 'redirect_uri', providers: ['duo_universal'] },
		{ name: 'duo_expire', providers: ['duo'], number: true },
		{ name: 'app_expire', providers: ['duo'], number: true }
	];

	var LOCKOUT = ['max_failures', 'window_s', 'duration_s'];

	// DEFAULTS are the values a new configuration starts with.
	var DEFAULTS = {
		name: '',
		enabled: true,
		provider_name: 'duo',
		settings: {
			failmode: 'secure',
			factors: FACTORS.slice(),
			username_source: 'owner_id',
			duo_expire: 300,
			app_expire: 3600,
			lockout: { max_failures: 5, window_s: 900, duration_s: 900 }
		}
	};

	function flags(values, selected) {
		var out = {};
		values.forEach(function(v) {
			out[v] = selected.indexOf(v) >= 0;
		});
		return out;
	}

	function text(value) {
		return value === undefined || value === null ? '' : String(value);
	}

	// withDefaults overlays stored settings on DEFAULTS.settings: a setting
	// a document omits has its default meaning (every factor, 300 s, ...),
	// so the form shows that rather than an empty choice.
	function withDefaults(stored) {
		var s = Object.assign({}, DEFAULTS.settings, stored);
		s.lockout = Object.assign({}, DEFAULTS.settings.lockout,
			stored && typeof stored.lockout === 'object' ? stored.lockout : {});
		return s;
	}

	function viewModel(config) {
		var isNew = !config;
		var cfg = config || DEFAULTS;
		var s = withDefaults(cfg.settings || {});
		var lockout = s.lockout;
		var values = {};
		var secrets = {};

		FIELDS.forEach(function(f) {
			if (f.secret) {
				secrets[f.name] = s[f.secret] === true;
			} else {
				values[f.name] = text(s[f.name]);
			}
		});
		LOCKOUT.forEach(function(k) {
			values[k] = text(lockout[k]);
		});

		return {
			isNew: isNew,
			id: isNew ? '' : cfg.id,
			name: text(cfg.name),
			enabled: cfg.enabled !== false,
			provider: flags(PROVIDERS, [cfg.provider_name || 'duo']),
			values: values,
			secrets: secrets,
			failmode: flags(['secure', 'safe'], [s.failmode || 'secure']),
			factors: flags(FACTORS, Array.isArray(s.factors) ? s.factors : []),
			usernameSource: flags(['owner_id', 'username', 'email'],
				[s.username_source || 'owner_id'])
		};
	}

	// number parses a form number; empty stays undefined (API default) and
	// anything else not a whole number is sent as typed, for the API to
	// reject with its own message beside the field.
	function number(value) {
		var v = text(value).trim();
		if (v === '') {
			return undefined;
		}
		return /^-?\d+$/.test(v) ? parseInt(v, 10) : v;
	}

	// payload builds {name, enabled, provider_name, settings} from form
	// values keyed by the API paths the inputs are named after. Settings of
	// the other provider are left out; an empty secret is left out, so a
	// replace keeps the stored one.
	function payload(values) {
		var provider = PROVIDERS.indexOf(values.provider_name) >= 0 ?
			values.provider_name : 'duo';
		var settings = {};

		FIELDS.forEach(function(f) {
			if (f.providers.indexOf(provider) < 0) {
				return;
			}
			var raw = values['settings.' + f.name];
			if (f.number) {
				var n = number(raw);
				if (n !== undefined) {
					settings[f.name] = n;
				}
			} else if (!(f.secret && text(raw).trim() === '')) {
				settings[f.name] = text(raw).trim();
			}
		});

		settings.failmode = values['settings.failmode'];
		settings.factors = values['settings.factors'] || [];
		settings.username_source = values['settings.username_source'];
		settings.lockout = {};
		LOCKOUT.forEach(function(k) {
			var n = number(values['settings.lockout.' + k]);
			if (n !== undefined) {
				settings.lockout[k] = n;
			}
		});

		return {
			name: text(values.name).trim(),
			enabled: values.enabled === true,
			provider_name: provider,
			settings: settings
		};
	}

	// errorTarget maps an API field path to the form input it belongs to:
	// the input named exactly so, else the nearest named ancestor path
	// ("settings.factors.0" -> "settings.factors"). null when none fits.
	function errorTarget(path, inputNames) {
		var parts = String(path).split('.');
		while (parts.length) {
			var candidate = parts.join('.');
			if (inputNames.indexOf(candidate) >= 0) {
				return candidate;
			}
			parts.pop();
		}
		return null;
	}

	return {
		PROVIDERS: PROVIDERS,
		viewModel: viewModel,
		payload: payload,
		errorTarget: errorTarget
	};
});
