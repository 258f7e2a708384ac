/*
 * errors: the words shown for a failed API call, in the user's language.
 *
 * describe(err, i18n) prefers the API's own localised data.message, then
 * the translation of the envelope's short name (errors.<code>), then one
 * chosen by HTTP status, then errors.generic. Anything that is not an
 * ApiError (a bug) gets errors.generic too.
 */
define(function() {
	'use strict';

	var BY_STATUS = {
		0: 'errors.network',
		401: 'errors.unauthorized',
		403: 'errors.forbidden',
		404: 'errors.not_found',
		405: 'errors.method_not_allowed',
		409: 'errors.conflict',
		415: 'errors.unsupported_media_type',
		429: 'errors.rate_limited',
		500: 'errors.internal',
		503: 'errors.unavailable'
	};

	function describe(err, i18n) {
		if (!err || typeof err.status !== 'number') {
			return i18n.t('errors.generic');
		}
		if (err.data && typeof err.data.message === 'string' && err.data.message) {
			return err.data.message;
		}
		var byCode = 'errors.' + err.code;
		if (err.code && i18n.has(byCode)) {
			return i18n.t(byCode);
		}
		var byStatus = BY_STATUS[err.status] ||
			(err.status >= 500 ? 'errors.internal' : 'errors.generic');
		return i18n.t(byStatus);
	}

	return { describe: describe };
});
