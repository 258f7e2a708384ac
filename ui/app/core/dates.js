/*
 * dates: KAZOO timestamps and the user's time zone.
 *
 * KAZOO counts Gregorian seconds (Unix seconds + 62167219200). Dates are
 * shown in the user's time zone (an IANA name; undefined means the
 * browser's own), and date filters take whole days in that zone.
 */
define(function() {
	'use strict';

	var GREGORIAN_OFFSET = 62167219200;
	var DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

	function fromGregorian(seconds) {
		return new Date((Number(seconds) - GREGORIAN_OFFSET) * 1000);
	}

	function toGregorian(date) {
		return Math.floor(date.getTime() / 1000) + GREGORIAN_OFFSET;
	}

	// formatter builds an Intl.DateTimeFormat, ignoring a time zone the
	// browser does not know rather than failing.
	function formatter(lang, timeZone, options) {
		var opts = Object.assign({}, options);
		if (timeZone) {
			opts.timeZone = timeZone;
		}
		try {
			return new Intl.DateTimeFormat(lang, opts);
		} catch (e) {
			if (!(e instanceof RangeError)) {
				throw e;
			}
			delete opts.timeZone;
			return new Intl.DateTimeFormat(lang, opts);
		}
	}

	// formatDateTime renders a date with its time to the second.
	function formatDateTime(date, lang, timeZone) {
		return formatter(lang, timeZone, { dateStyle: 'medium', timeStyle: 'medium' })
			.format(date);
	}

	// wallClock is the date and time that the clocks of timeZone show at
	// ms, as numbers {year, month (1-12), day, hour, minute, second}.
	function wallClock(ms, timeZone) {
		var parts = {};
		formatter('en-US', timeZone, {
			hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
			hour: '2-digit', minute: '2-digit', second: '2-digit'
		}).formatToParts(new Date(ms)).forEach(function(p) {
			parts[p.type] = Number(p.value);
		});
		return parts;
	}

	// offsetMs is how far the wall clock of timeZone is ahead of UTC at ms.
	function offsetMs(ms, timeZone) {
		var parts = wallClock(ms, timeZone);
		var wall = Date.UTC(parts.year, parts.month - 1, parts.day,
			parts.hour, parts.minute, parts.second);
		return wall - Math.floor(ms / 1000) * 1000;
	}

	// dayOf returns the YYYY-MM-DD day that date falls on in timeZone.
	function dayOf(date, timeZone) {
		var parts = wallClock(date.getTime(), timeZone);
		var pad = function(n) { return (n < 10 ? '0' : '') + n; };
		return parts.year + '-' + pad(parts.month) + '-' + pad(parts.day);
	}

	// startOfDay returns the instant a YYYY-MM-DD day begins in timeZone,
	// or null when day is not such a date. shift adds whole days first.
	function startOfDay(day, timeZone, shift) {
		var m = DAY.exec(day || '');
		if (!m) {
			return null;
		}
		var wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (shift || 0));
		var guess = wall - offsetMs(wall, timeZone);
		var corrected = wall - offsetMs(guess, timeZone);
		return new Date(corrected);
	}

	// dayRange turns inclusive from/to days into Gregorian bounds: the
	// first second of from and the last second of to. Either may be empty.
	function dayRange(from, to, timeZone) {
		var start = startOfDay(from, timeZone, 0);
		var end = startOfDay(to, timeZone, 1);
		return {
			from: start ? toGregorian(start) : null,
			to: end ? toGregorian(end) - 1 : null
		};
	}

	return {
		GREGORIAN_OFFSET: GREGORIAN_OFFSET,
		fromGregorian: fromGregorian,
		toGregorian: toGregorian,
		formatDateTime: formatDateTime,
		dayOf: dayOf,
		startOfDay: startOfDay,
		dayRange: dayRange
	};
});
