/*
 * shell: the app as both hosts mount it: the layout (title, tabs, message
 * line, two panels), the Settings tab started at once and the Failure Logs
 * tab started the first time it is shown.
 *
 * mount(root, host) renders into the DOM element root. host is what a host
 * provides:
 *   i18n      a translator from i18n.create (t, has, lang);
 *   render    function(view, data) -> HTML of views/<view>.html, the
 *             template seeing data plus the dictionary as `i18n`;
 *   api       a client from api.create;
 *   timeZone  the user's IANA time zone, or undefined for the browser's.
 */
define(['./dom', './status', './tabs', './settings', './failure-logs'],
function(dom, status, tabs, settings, failureLogs) {
	'use strict';

	function mount(root, host) {
		root.innerHTML = host.render('layout', {});
		var app = dom.one(root, '.duo-app');
		var ctx = {
			host: host,
			root: app,
			status: status.create(dom.one(app, '[data-role="status"]'),
				dom.one(app, '[data-role="alert"]'))
		};
		var panels = {
			settings: settings.create(dom.one(app, '#duo-panel-settings'), ctx),
			failureLogs: failureLogs.create(dom.one(app, '#duo-panel-failure-logs'), ctx)
		};
		tabs.bind(dom.one(app, '[role="tablist"]'), function(name) {
			ctx.status.clear();
			panels[name].start();
		});
	}

	return { mount: mount };
});
