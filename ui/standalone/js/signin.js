/*
 * signin: the standalone page's sign-in screen. It takes a KAZOO auth
 * token and an account id (the demo prints ready ones), checks their
 * shape, and hands them on; the API judges the token itself.
 *
 * show(root, opts) renders the signin view; opts is {render, t, message,
 * languages, onLanguage(tag), done({token, accountId})}.
 */
define(['core/dom', './session'], function(dom, session) {
	'use strict';

	function show(root, opts) {
		root.innerHTML = opts.render('signin', {
			message: opts.message || '',
			languages: opts.languages
		});
		var form = dom.one(root, '[data-role="signin-form"]');

		function fieldError(name, text) {
			var box = dom.one(form, '[data-error-for="' + name + '"]');
			box.textContent = text;
			box.hidden = !text;
			if (text) {
				form.elements[name].setAttribute('aria-invalid', 'true');
			} else {
				form.elements[name].removeAttribute('aria-invalid');
			}
			return !text;
		}

		form.addEventListener('submit', function(event) {
			event.preventDefault();
			var values = dom.formValues(form);
			var token = String(values.token || '').trim();
			var accountId = String(values.accountId || '').trim().toLowerCase();
			var tokenOk = fieldError('token', token ? '' : opts.t('signin.required'));
			var accountOk = fieldError('accountId', !accountId ? opts.t('signin.required') :
				session.ACCOUNT_ID.test(accountId) ? '' : opts.t('signin.badAccountId'));
			if (!tokenOk) {
				form.elements.token.focus();
			} else if (!accountOk) {
				form.elements.accountId.focus();
			} else {
				opts.done({ token: token, accountId: accountId });
			}
		});

		dom.one(root, '[data-role="language"]').addEventListener('change', function(event) {
			opts.onLanguage(event.target.value);
		});

		form.elements.token.focus();
	}

	return { show: show };
});
