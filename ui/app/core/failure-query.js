/*
 * failure-query: the Failure Logs search, filters and paging, without the
 * DOM.
 *
 * Filters are {q, status, reason, username, from, to}: text as typed, from
 * and to being YYYY-MM-DD days in the user's time zone. params() turns
 * them into the API's query; a pager walks the API's opaque start keys.
 */
define(['./dates'], function(dates) {
	'use strict';

	var FILTERS = ['q', 'status', 'reason', 'username', 'from', 'to'];

	function empty() {
		var f = {};
		FILTERS.forEach(function(k) { f[k] = ''; });
		return f;
	}

	// normalise trims the filters and orders a reversed date range.
	function normalise(filters) {
		var f = empty();
		FILTERS.forEach(function(k) {
			f[k] = String(filters[k] || '').trim();
		});
		if (f.from && f.to && f.from > f.to) {
			var from = f.from;
			f.from = f.to;
			f.to = from;
		}
		return f;
	}

	// params is the API query for filters; paging ({pageSize, startKey})
	// is optional and left out for the CSV export, which wants everything.
	function params(filters, timeZone, paging) {
		var f = normalise(filters);
		var range = dates.dayRange(f.from, f.to, timeZone);
		var p = {
			created_from: range.from,
			created_to: range.to,
			filter_status: f.status,
			filter_reason: f.reason,
			filter_username: f.username,
			q: f.q
		};
		if (paging) {
			p.page_size = paging.pageSize;
			p.start_key = paging.startKey;
		} else {
			p.paginate = 'false';
		}
		return p;
	}

	// activeCount is how many filters other than the search text are set.
	function activeCount(filters) {
		return FILTERS.filter(function(k) {
			return k !== 'q' && String(filters[k] || '').trim() !== '';
		}).length;
	}

	// createPager remembers the start key of every page seen, so Previous
	// needs no key from the API. Page numbers count from 1.
	function createPager() {
		var keys = [undefined];
		var index = 0;
		var nextKey;
		return {
			startKey: function() { return keys[index]; },
			page: function() { return index + 1; },
			hasPrevious: function() { return index > 0; },
			hasNext: function() { return nextKey !== undefined && nextKey !== null; },
			// loaded records the next_start_key of the page just shown.
			loaded: function(next) { nextKey = next; },
			next: function() {
				if (nextKey === undefined || nextKey === null) {
					return;
				}
				keys.length = index + 1;
				keys.push(nextKey);
				index++;
			},
			previous: function() {
				if (index > 0) {
					index--;
				}
			},
			reset: function() {
				keys = [undefined];
				index = 0;
				nextKey = undefined;
			}
		};
	}

	return {
		empty: empty,
		normalise: normalise,
		params: params,
		activeCount: activeCount,
		createPager: createPager
	};
});
