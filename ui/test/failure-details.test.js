'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./amd');

const details = load('failure-details');
const i18n = load('i18n');

const tr = i18n.create({
	common: { empty: '—', yes: 'Yes', no: 'No' },
	reasons: { user_denied: 'Denied by the user' },
	failureLogs: {
		viewLabel: 'Details of {{date}}',
		statuses: { failed: 'Failed' },
		fields: { timestamp: 'Date', reason: 'Reason', details: 'Details', client_ip: 'IP' },
	},
}, {}, 'en-US');
const ctx = { i18n: tr, lang: 'en-US', timeZone: 'UTC' };

const ts = Date.UTC(2026, 10, 1, 9, 5, 0) / 1000 + 62167219200;

test('row is what the table shows', () => {
	const row = details.row({
		id: '202611-ab', timestamp: ts, status: 'failed', reason: 'user_denied',
		username: 'alice', client_ip: '10.1.2.3', message: 'denied',
	}, ctx);
	assert.equal(row.id, '202611-ab');
	assert.equal(row.iso, '2026-11-01T09:05:00.000Z');
	assert.match(row.date, /Nov 1, 2026/);
	assert.equal(row.status, 'Failed');
	assert.equal(row.failed, true);
	assert.equal(row.reason, 'Denied by the user');
	assert.equal(row.summary, 'alice · 10.1.2.3 · denied');
	assert.equal(row.viewLabel, 'Details of ' + row.date);
});

test('row survives missing fields and unknown codes', () => {
	const row = details.row({ id: 'x', status: 'weird', reason: 'brand_new' }, ctx);
	assert.equal(row.reason, 'brand_new');
	assert.equal(row.status, 'weird');
	assert.equal(row.summary, '');
});

test('fields lists every field, known ones first, nested as groups', () => {
	const list = details.fields({
		zeta: 1,
		details: { txid: 't1', factor: 'push', deep: { a: { b: { c: 'too deep' } } } },
		reason: 'user_denied',
		timestamp: ts,
		client_ip: '',
		flag: true,
		tags: ['a', 'b'],
	}, ctx);
	assert.deepEqual(list.map((e) => e.name),
		['timestamp', 'reason', 'client_ip', 'details', 'flag', 'tags', 'zeta']);
	assert.equal(list[0].label, 'Date');
	assert.match(list[0].value, /Nov 1, 2026, 9:05:00/);
	assert.equal(list[1].value, 'Denied by the user (user_denied)');
	assert.equal(list[2].value, '—');
	assert.deepEqual(list[3].children.map((e) => e.name), ['factor', 'deep', 'txid']);
	const deep = list[3].children[1].children[0].children[0];
	assert.equal(deep.value, '{"c":"too deep"}', 'depth is bounded');
	assert.equal(list[4].value, 'Yes');
	assert.equal(list[5].value, 'a, b');
	assert.equal(list[6].label, 'zeta');
});
