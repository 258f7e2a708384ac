/*
 * status: the app's message line. Good news and progress go to a polite
 * live region; errors go to an alert region, so screen readers speak them
 * at once. One message at a time: a new one replaces the last.
 */
define(function() {
	'use strict';

	// create binds to the two regions of the layout view.
	function create(politeEl, alertEl) {
		function clear() {
			politeEl.textContent = '';
			alertEl.textContent = '';
			alertEl.hidden = true;
		}
		return {
			info: function(text) {
				clear();
				politeEl.textContent = text;
			},
			error: function(text) {
				clear();
				alertEl.hidden = false;
				alertEl.textContent = text;
			},
			clear: clear
		};
	}

	return { create: create };
});
