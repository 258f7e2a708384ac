'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./amd');

const errors = load('errors');
const { ApiError } = load('api');
const i18n = load('i18n');

const tr = i18n.create({
	errors: {
		generic: 'G', network: 'N', invalid_token: 'T', forbidden: 'F', internal: 'I', conflict: 'C',
	},
}, {}, 'en-US');

test('describe picks the most specific words', () => {
	const cases = [
		['API text first', new ApiError(403, 'forbidden', { message: 'Interdit ici' }), 'Interdit ici'],
		['short name next', new ApiError(401, 'invalid_token', {}), 'T'],
		['status when the name is unknown', new ApiError(409, 'weird', null), 'C'],
		['any 5xx', new ApiError(502, '', null), 'I'],
		['network', new ApiError(0, 'network', null), 'N'],
		['validation map has no text', new ApiError(400, 'nope', { name: { required: {} } }), 'G'],
		['not an ApiError', new TypeError('bug'), 'G'],
	];
	for (const [name, err, want] of cases) {
		assert.equal(errors.describe(err, tr), want, name);
	}
});
