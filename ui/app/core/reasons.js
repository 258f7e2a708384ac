/*
 * reasons: the stable reason codes of failed attempts, in the order the
 * Failure Logs filter lists them. Their labels are reasons.<code> in the
 * i18n files; a code unknown here is still shown, by its label if the
 * files have one, else as the code itself.
 */
define(function() {
	'use strict';

	var CODES = [
		'user_denied', 'fraud', 'timeout', 'locked_out', 'not_enrolled',
		'invalid_response', 'expired_response', 'replayed', 'provider_disabled',
		'no_configuration', 'invalid_configuration', 'duo_unreachable',
		'failed_open', 'rate_limited', 'bad_credentials', 'password_failed'
	];

	// label is the words for code in the user's language.
	function label(code, i18n) {
		if (!code) {
			return i18n.t('common.empty');
		}
		return i18n.has('reasons.' + code) ? i18n.t('reasons.' + code) : String(code);
	}

	return { CODES: CODES, label: label };
});
