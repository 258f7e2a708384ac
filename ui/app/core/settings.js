/*
 * settings: the Settings tab. Lists the account's configurations in the
 * Name selector, edits one (or a new one) in the settings-form view,
 * saves, deletes after confirmation, generates application secret keys and
 * tests a saved configuration against Duo. API validation errors are shown
 * beside the field they name. The panel is aria-busy while it loads.
 *
 * create(panel, ctx) returns {start}; ctx is {host, status, root} where
 * host is {i18n, render, api} (see shell.js).
 */
define(['./dom', './errors', './dialog', './settings-model'],
function(dom, errors, dialog, model) {
	'use strict';

	function byName(a, b) {
		return String(a.name).localeCompare(String(b.name));
	}

	function create(panel, ctx) {
		var host = ctx.host;
		var t = host.i18n.t;
		var status = ctx.status;
		var configs = [];
		var current = null;
		var started = false;

		function form() {
			return dom.one(panel, '[data-role="settings-form"]');
		}

		function fail(err) {
			status.error(errors.describe(err, host.i18n));
		}

		// track marks the panel aria-busy until every tracked call settles.
		var pending = 0;
		function track(promise) {
			pending++;
			panel.setAttribute('aria-busy', 'true');
			return promise.then(function() {
				if (--pending === 0) {
					panel.removeAttribute('aria-busy');
				}
			});
		}

		// load lists the configurations, then shows selectedId (with its
		// known public view when given), else the first, else a new one.
		function load(selectedId, known) {
			return track(host.api.listConfigs().then(function(list) {
				configs = list.slice().sort(byName);
				var id = selectedId;
				if (id === undefined || !configs.some(function(c) { return c.id === id; })) {
					id = configs.length ? configs[0].id : '';
				}
				panel.innerHTML = host.render('settings', {
					isNew: !id,
					configs: configs.map(function(c) {
						return { id: c.id, name: c.name, selected: c.id === id };
					})
				});
				if (!id) {
					edit(null);
				} else if (known && known.id === id) {
					edit(known);
				} else {
					return open(id);
				}
			}).catch(fail));
		}

		function open(id) {
			return track(host.api.getConfig(id).then(function(got) {
				edit(got.config);
			}).catch(fail));
		}

		// edit renders the form for config (null: a new configuration).
		function edit(config) {
			current = config;
			var vm = model.viewModel(config);
			vm.heading = config ?
				t('settings.heading.edit', { name: config.name }) : t('settings.heading.new');
			dom.one(panel, '[data-role="form-area"]').innerHTML = host.render('settings-form', vm);
			applyProvider();
		}

		// applyProvider shows only the fields the chosen provider uses; the
		// others are disabled, so they are neither focusable nor sent.
		function applyProvider() {
			var provider = form().elements.provider_name.value;
			dom.all(form(), '[data-providers]').forEach(function(group) {
				var on = group.getAttribute('data-providers').split(' ').indexOf(provider) >= 0;
				group.hidden = !on;
				dom.all(group, 'input, select, button').forEach(function(el) {
					el.disabled = !on;
				});
			});
		}

		function clearErrors() {
			dom.all(form(), '[data-error-for]').forEach(function(el) {
				el.textContent = '';
				el.hidden = true;
			});
			dom.all(form(), '[aria-invalid]').forEach(function(el) {
				el.removeAttribute('aria-invalid');
			});
			dom.one(form(), '[data-role="form-errors"]').hidden = true;
			dom.one(form(), '[data-action="reload"]').hidden = true;
		}

		function showFormError(text, canReload) {
			dom.one(form(), '[data-role="form-errors-text"]').textContent = text;
			dom.one(form(), '[data-action="reload"]').hidden = !canReload;
			dom.one(form(), '[data-role="form-errors"]').hidden = false;
		}

		// showFieldErrors puts each API message beside its field and focuses
		// the first field in error (in form order); messages for no visible
		// field go to the form's error box. The API's text
		// is already in the user's language; the translation of its key
		// (else of validation.<rule>) is only the fallback for an answer
		// without one.
		function showFieldErrors(list) {
			var f = form();
			var names = dom.all(f, '[name]').filter(function(el) {
				return !el.disabled;
			}).map(function(el) { return el.name; });
			var general = [];

			list.forEach(function(fe) {
				var msg = fe.message || t(fe.key || 'validation.' + fe.rule, fe.params);
				var target = model.errorTarget(fe.path, names);
				var box = target && dom.one(f, '[data-error-for="' + target + '"]');
				if (!box) {
					general.push(msg);
					return;
				}
				box.textContent = box.textContent ? box.textContent + ' ' + msg : msg;
				box.hidden = false;
				dom.all(f, '[name="' + target + '"]').forEach(function(el) {
					el.setAttribute('aria-invalid', 'true');
				});
			});

			if (general.length) {
				showFormError(general.join(' '), false);
			}
			status.error(t('settings.messages.invalid'));
			var firstInvalid = dom.one(f, '[aria-invalid="true"]');
			if (firstInvalid) {
				firstInvalid.focus();
			}
		}

		function save() {
			var body = model.payload(dom.formValues(form()));
			var wasNew = !current;
			var submit = dom.one(form(), '[type="submit"]');
			clearErrors();
			status.clear();
			submit.disabled = true;

			var call = wasNew ? host.api.createConfig(body) :
				host.api.replaceConfig(current.id, body);
			return call.then(function(saved) {
				return load(saved.id, saved).then(function() {
					status.info(t(wasNew ? 'settings.messages.created' : 'settings.messages.saved',
						{ name: saved.name }));
					if (form()) {
						dom.one(form(), '[type="submit"]').focus();
					}
				});
			}, function(err) {
				submit.disabled = false;
				if (err.status === 400 && err.fieldErrors && err.fieldErrors().length) {
					showFieldErrors(err.fieldErrors());
				} else if (err.status === 409) {
					showFormError(t('settings.messages.conflict'), true);
					fail(err);
				} else {
					fail(err);
				}
			});
		}

		function remove() {
			var doomed = current;
			return dialog.confirm(ctx.root, host.render, {
				title: t('settings.messages.confirmDeleteTitle'),
				message: t('settings.messages.confirmDelete', { name: doomed.name }),
				confirmLabel: t('settings.actions.delete')
			}).then(function(yes) {
				if (!yes) {
					return;
				}
				return host.api.deleteConfig(doomed.id).then(function() {
					return load().then(function() {
						status.info(t('settings.messages.deleted', { name: doomed.name }));
						var selector = dom.one(panel, '[data-role="selector"]');
						if (selector) {
							selector.focus();
						}
					});
				}, fail);
			});
		}

		function generate(button) {
			button.disabled = true;
			return host.api.generateKey().then(function(key) {
				var input = form().elements['settings.application_secret_key'];
				input.type = 'text';
				input.value = key;
				dom.one(form(), '[data-action="copy"]').hidden = false;
				dom.one(form(), '[data-role="generated-note"]').hidden = false;
				input.focus();
				input.select();
			}, fail).then(function() {
				button.disabled = false;
			});
		}

		function copy(button) {
			var input = document.getElementById(button.getAttribute('data-copy'));
			return dom.copyText(input).then(function(ok) {
				status.info(t(ok ? 'common.copied' : 'common.copyFailed'));
			});
		}

		// checkDetail explains a failed test in the user's language when
		// the result code has a translation, else in the API's words.
		function checkDetail(r) {
			var key = 'settings.check.results.' + r.result;
			if (!host.i18n.has(key)) {
				return r.message || r.result;
			}
			var settings = current.settings || {};
			return t(key, { host: settings.api_hostname || '' });
		}

		function check(button) {
			var out = dom.one(form(), '[data-role="check-result"]');
			button.disabled = true;
			out.textContent = t('settings.check.running');
			return host.api.checkConfig(current.id).then(function(r) {
				out.innerHTML = host.render('settings-check', {
					ok: r.ok === true,
					verdict: t(r.ok ? 'settings.check.ok' : 'settings.check.failed'),
					message: r.ok ? '' : checkDetail(r),
					duoMessage: r.duo_message ? t('settings.check.duoSaid', { message: r.duo_message }) : '',
					roundTrip: typeof r.round_trip_ms === 'number' ?
						t('settings.check.roundTrip', { ms: r.round_trip_ms }) : ''
				});
			}, function(err) {
				out.textContent = '';
				fail(err);
			}).then(function() {
				button.disabled = false;
			});
		}

		var actions = {
			generate: generate,
			copy: copy,
			test: check,
			'delete': remove,
			reload: function() {
				status.clear();
				return open(current.id);
			}
		};

		function bind() {
			dom.on(panel, 'change', '[data-role="selector"]', function(event, select) {
				status.clear();
				if (select.value) {
					open(select.value);
				} else {
					edit(null);
				}
			});
			dom.on(panel, 'change', '[name="provider_name"]', applyProvider);
			dom.on(panel, 'submit', '[data-role="settings-form"]', function(event) {
				event.preventDefault();
				save();
			});
			dom.on(panel, 'click', '[data-action]', function(event, button) {
				var action = actions[button.getAttribute('data-action')];
				if (action) {
					action(button);
				}
			});
		}

		return {
			start: function() {
				if (started) {
					return;
				}
				started = true;
				bind();
				load();
			}
		};
	}

	return { create: create };
});
