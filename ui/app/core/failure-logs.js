/*
 * failure-logs: the Failure Logs tab. A table of failed attempts (newest
 * first) with a search bar, a filter (status, reason, date range, user),
 * paging, a details dialog for one attempt and a CSV export of everything
 * the filters select. Dates are in the user's time zone.
 *
 * create(panel, ctx) returns {start}; ctx is {host, status, root} where
 * host is {i18n, render, api, timeZone} (see shell.js).
 */
define(['./dom', './errors', './dialog', './dates', './reasons', './failure-query',
	'./failure-details'],
function(dom, errors, dialog, dates, reasons, query, details) {
	'use strict';

	var DEFAULT_PAGE_SIZE = 50;

	// fieldList builds the nested definition list of the details dialog.
	function fieldList(entries, emptyText) {
		var dl = document.createElement('dl');
		dl.className = 'duo-details';
		entries.forEach(function(e) {
			var dt = document.createElement('dt');
			var dd = document.createElement('dd');
			dt.textContent = e.label;
			if (e.children && e.children.length) {
				dd.appendChild(fieldList(e.children, emptyText));
			} else {
				dd.textContent = e.children ? emptyText : e.value;
			}
			dl.appendChild(dt);
			dl.appendChild(dd);
		});
		return dl;
	}

	function create(panel, ctx) {
		var host = ctx.host;
		var t = host.i18n.t;
		var fmt = { i18n: host.i18n, lang: host.i18n.lang, timeZone: host.timeZone };
		var filters = query.empty();
		var pager = query.createPager();
		var pageSize = DEFAULT_PAGE_SIZE;
		var started = false;

		function el(role) {
			return dom.one(panel, '[data-role="' + role + '"]');
		}

		function fail(err) {
			ctx.status.error(errors.describe(err, host.i18n));
		}

		function load() {
			var table = el('table');
			table.setAttribute('aria-busy', 'true');
			var params = query.params(filters, host.timeZone,
				{ pageSize: pageSize, startKey: pager.startKey() });
			return host.api.listFailures(params).then(function(page) {
				pager.loaded(page.nextStartKey);
				var rows = page.rows.slice().sort(function(a, b) {
					return (b.timestamp || 0) - (a.timestamp || 0);
				});
				el('rows').innerHTML = host.render('failure-rows', {
					rows: rows.map(function(r) { return details.row(r, fmt); })
				});
				showPager();
			}, fail).then(function() {
				table.removeAttribute('aria-busy');
			});
		}

		// showPager updates the paging controls; focus on a button that
		// just became disabled moves to its enabled twin or to the table.
		function showPager() {
			var prev = dom.one(panel, '[data-action="previous"]');
			var next = dom.one(panel, '[data-action="next"]');
			prev.disabled = !pager.hasPrevious();
			next.disabled = !pager.hasNext();
			el('page').textContent = t('failureLogs.pagination.page', { page: pager.page() });
			var focused = document.activeElement;
			if ((focused === prev || focused === next) && focused.disabled) {
				var twin = focused === prev ? next : prev;
				(twin.disabled ? el('table-wrap') : twin).focus();
			}
		}

		function restart() {
			ctx.status.clear();
			pager.reset();
			return load();
		}

		function applyFilters(form) {
			var values = dom.formValues(form);
			values.q = filters.q;
			filters = query.normalise(values);
			form.elements.from.value = filters.from;
			form.elements.to.value = filters.to;
			var count = query.activeCount(filters);
			el('filter-count').textContent = count ? ' (' + count + ')' : '';
			return restart();
		}

		function toggleFilter(button) {
			var form = el('filter-form');
			var open = form.hidden;
			form.hidden = !open;
			button.setAttribute('aria-expanded', open ? 'true' : 'false');
			if (open) {
				form.elements.status.focus();
			}
		}

		function clearFilter() {
			var form = el('filter-form');
			form.reset();
			form.elements.to.min = '';
			return applyFilters(form);
		}

		function exportCsv(button) {
			button.disabled = true;
			return host.api.exportFailures(query.params(filters, host.timeZone)).then(function(blob) {
				var day = dates.dayOf(new Date(), host.timeZone);
				dom.download(blob, 'duo-failure-logs-' + day + '.csv');
				ctx.status.info(t('failureLogs.exported'));
			}, fail).then(function() {
				button.disabled = false;
			});
		}

		function view(button) {
			return host.api.getFailure(button.getAttribute('data-id')).then(function(attempt) {
				return dialog.open(ctx.root, host.render('failure-details', {}), function(d) {
					dom.one(d, '[data-role="fields"]')
						.appendChild(fieldList(details.fields(attempt, fmt), t('common.empty')));
				});
			}, fail);
		}

		var actions = {
			'toggle-filter': toggleFilter,
			'clear-filter': clearFilter,
			'export': exportCsv,
			view: view,
			previous: function() {
				pager.previous();
				return load();
			},
			next: function() {
				pager.next();
				return load();
			}
		};

		function bind() {
			dom.on(panel, 'submit', '[data-role="search-form"]', function(event, form) {
				event.preventDefault();
				filters.q = form.elements.q.value.trim();
				restart();
			});
			dom.on(panel, 'submit', '[data-role="filter-form"]', function(event, form) {
				event.preventDefault();
				applyFilters(form);
			});
			dom.on(panel, 'change', '[name="from"]', function(event, input) {
				el('filter-form').elements.to.min = input.value;
			});
			dom.on(panel, 'change', '[data-role="page-size"]', function(event, select) {
				pageSize = parseInt(select.value, 10) || DEFAULT_PAGE_SIZE;
				restart();
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
				panel.innerHTML = host.render('failure-logs', {
					reasons: reasons.CODES.map(function(code) {
						return { code: code, label: reasons.label(code, host.i18n) };
					})
				});
				bind();
				load();
			}
		};
	}

	return { create: create };
});
