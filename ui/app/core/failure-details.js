/*
 * failure-details: failed attempts as people read them, without the DOM.
 *
 * row(attempt, ctx) is one line of the Failure Logs table; fields(attempt,
 * ctx) is every field of one attempt for the details view, known fields
 * first with their labels, then any other field under its own name, nested
 * objects as indented groups. ctx is {i18n, lang, timeZone}.
 */
define(['./dates', './reasons'], function(dates, reasons) {
	'use strict';

	// ORDER puts the fields people look for first; the rest follow sorted.
	var ORDER = [
		'timestamp', 'status', 'reason', 'message', 'username', 'factor',
		'client_ip', 'auth_type', 'auth_module', 'provider_name',
		'configuration_id', 'owner_id', 'id', 'details', 'client_headers', 'metadata'
	];
	var MAX_DEPTH = 4;

	function when(seconds, ctx) {
		var date = dates.fromGregorian(seconds);
		if (isNaN(date.getTime())) {
			return { text: String(seconds), iso: '' };
		}
		return {
			text: dates.formatDateTime(date, ctx.lang, ctx.timeZone),
			iso: date.toISOString()
		};
	}

	function status(value, ctx) {
		var key = 'failureLogs.statuses.' + value;
		return ctx.i18n.has(key) ? ctx.i18n.t(key) : String(value);
	}

	function label(name, ctx) {
		var key = 'failureLogs.fields.' + name;
		return ctx.i18n.has(key) ? ctx.i18n.t(key) : name;
	}

	// scalar renders a leaf value as text.
	function scalar(name, value, ctx) {
		if (value === null || value === undefined || value === '') {
			return ctx.i18n.t('common.empty');
		}
		if (typeof value === 'boolean') {
			return ctx.i18n.t(value ? 'common.yes' : 'common.no');
		}
		if (name === 'timestamp' && typeof value === 'number') {
			return when(value, ctx).text;
		}
		if (name === 'reason') {
			return reasons.label(value, ctx.i18n) + ' (' + value + ')';
		}
		if (name === 'status') {
			return status(value, ctx);
		}
		if (Array.isArray(value)) {
			return value.map(function(v) {
				return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
			}).join(', ');
		}
		return String(value);
	}

	function sortedKeys(obj) {
		var keys = Object.keys(obj);
		return keys.filter(function(k) { return ORDER.indexOf(k) >= 0; })
			.sort(function(a, b) { return ORDER.indexOf(a) - ORDER.indexOf(b); })
			.concat(keys.filter(function(k) { return ORDER.indexOf(k) < 0; }).sort());
	}

	// entries lists obj's fields as {label, name, value} leaves or
	// {label, name, children} groups.
	function entries(obj, ctx, depth) {
		return sortedKeys(obj).map(function(name) {
			var value = obj[name];
			var nested = value !== null && typeof value === 'object' && !Array.isArray(value);
			if (nested && depth < MAX_DEPTH) {
				return { label: label(name, ctx), name: name, children: entries(value, ctx, depth + 1) };
			}
			return {
				label: label(name, ctx),
				name: name,
				value: nested ? JSON.stringify(value) : scalar(name, value, ctx)
			};
		});
	}

	function fields(attempt, ctx) {
		return entries(attempt || {}, ctx, 1);
	}

	// summary is the DETAILS cell: who, from where, and what happened.
	function summary(attempt) {
		return [attempt.username, attempt.client_ip, attempt.message]
			.filter(function(v) { return v !== undefined && v !== null && v !== ''; })
			.join(' · ');
	}

	function row(attempt, ctx) {
		var at = when(attempt.timestamp, ctx);
		return {
			id: attempt.id,
			date: at.text,
			iso: at.iso,
			status: status(attempt.status, ctx),
			failed: attempt.status !== 'success',
			reason: reasons.label(attempt.reason, ctx.i18n),
			summary: summary(attempt),
			viewLabel: ctx.i18n.t('failureLogs.viewLabel', { date: at.text })
		};
	}

	return { row: row, fields: fields };
});
