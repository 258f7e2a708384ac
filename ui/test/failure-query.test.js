'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./amd');

const query = load('failure-query');

const G = 62167219200;

test('params maps filters to the API query', () => {
	const p = query.params({
		q: ' alice ', status: 'failed', reason: 'user_denied', username: 'bob',
		from: '2026-03-11', to: '2026-03-10',
	}, 'UTC', { pageSize: 25, startKey: 'k' });
	assert.deepEqual(p, {
		created_from: Date.UTC(2026, 2, 10) / 1000 + G,
		created_to: Date.UTC(2026, 2, 12) / 1000 + G - 1,
		filter_status: 'failed',
		filter_reason: 'user_denied',
		filter_username: 'bob',
		q: 'alice',
		page_size: 25,
		start_key: 'k',
	});
});

test('params without paging asks for everything (export)', () => {
	const p = query.params(query.empty(), 'UTC');
	assert.equal(p.paginate, 'false');
	assert.equal('page_size' in p, false);
	assert.equal(p.created_from, null);
});

test('activeCount ignores the search text', () => {
	const filters = { q: 'x', status: 'failed', reason: '', username: ' ', from: '2026-01-01' };
	assert.equal(query.activeCount(filters), 2);
	assert.equal(query.activeCount(query.empty()), 0);
});

test('pager walks forward and back over start keys', () => {
	const pager = query.createPager();
	assert.equal(pager.startKey(), undefined);
	assert.equal(pager.hasPrevious(), false);
	pager.loaded('k2');
	assert.equal(pager.hasNext(), true);
	pager.next();
	assert.equal(pager.startKey(), 'k2');
	assert.equal(pager.page(), 2);
	pager.loaded(undefined);
	assert.equal(pager.hasNext(), false);
	pager.next();
	assert.equal(pager.page(), 2, 'next without a key must not move');
	pager.previous();
	assert.equal(pager.page(), 1);
	assert.equal(pager.startKey(), undefined);
	pager.loaded('k2b');
	pager.next();
	assert.equal(pager.startKey(), 'k2b', 'a new next key replaces the old one');
	pager.reset();
	assert.equal(pager.page(), 1);
	assert.equal(pager.hasNext(), false);
});
