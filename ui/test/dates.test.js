'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./amd');

const dates = load('dates');

test('Gregorian seconds round-trip through Date', () => {
	const unix = Date.UTC(2026, 10, 1, 12, 30, 5) / 1000;
	const greg = unix + 62167219200;
	assert.equal(dates.fromGregorian(greg).toISOString(), '2026-11-01T12:30:05.000Z');
	assert.equal(dates.toGregorian(new Date(unix * 1000)), greg);
});

test('startOfDay is midnight in the given zone', () => {
	const cases = [
		['UTC', 'UTC', '2026-03-10', '2026-03-10T00:00:00.000Z'],
		['Paris winter', 'Europe/Paris', '2026-01-15', '2026-01-14T23:00:00.000Z'],
		['Paris summer', 'Europe/Paris', '2026-07-15', '2026-07-14T22:00:00.000Z'],
		['New York DST day', 'America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z'],
		['New York after DST', 'America/New_York', '2026-03-09', '2026-03-09T04:00:00.000Z'],
		['Kolkata half hour', 'Asia/Kolkata', '2026-05-01', '2026-04-30T18:30:00.000Z'],
	];
	for (const [name, zone, day, want] of cases) {
		assert.equal(dates.startOfDay(day, zone).toISOString(), want, name);
	}
});

test('startOfDay rejects what is not a day', () => {
	for (const bad of ['', '2026-1-1', 'yesterday', null, undefined]) {
		assert.equal(dates.startOfDay(bad, 'UTC'), null, String(bad));
	}
});

test('dayRange covers whole days inclusively', () => {
	const r = dates.dayRange('2026-03-10', '2026-03-11', 'UTC');
	assert.equal(r.from, Date.UTC(2026, 2, 10) / 1000 + 62167219200);
	assert.equal(r.to, Date.UTC(2026, 2, 12) / 1000 + 62167219200 - 1);
	assert.deepEqual(dates.dayRange('', '', 'UTC'), { from: null, to: null });
});

test('formatDateTime uses the zone and survives an unknown one', () => {
	const d = new Date(Date.UTC(2026, 0, 2, 23, 30, 0));
	assert.match(dates.formatDateTime(d, 'en-US', 'Asia/Tokyo'), /Jan 3, 2026/);
	assert.match(dates.formatDateTime(d, 'fr-FR', 'UTC'), /2 janv\. 2026/);
	assert.ok(dates.formatDateTime(d, 'en-US', 'Not/AZone').length > 0);
});

test('dayOf is the day on the clocks of the zone', () => {
	const d = new Date(Date.UTC(2026, 11, 31, 20, 30, 0));
	assert.equal(dates.dayOf(d, 'UTC'), '2026-12-31');
	assert.equal(dates.dayOf(d, 'Asia/Tokyo'), '2027-01-01');
	assert.equal(dates.dayOf(d, 'America/Los_Angeles'), '2026-12-31');
	assert.equal(dates.dayOf(new Date(Date.UTC(2026, 0, 1, 2)), 'America/New_York'), '2025-12-31');
});
