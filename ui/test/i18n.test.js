'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./amd');

const i18n = load('i18n');

const en = { a: { b: 'Hello {{name}}', only: 'en only' }, n: { x: 'X' } };
const fr = { a: { b: 'Bonjour {{ name }}' } };

test('t reads the language, then the fallback, then answers the key', () => {
	const tr = i18n.create(fr, en, 'fr-FR');
	const cases = [
		['language first', 'a.b', { name: 'Ada' }, 'Bonjour Ada'],
		['fallback for a missing key', 'a.only', null, 'en only'],
		['unknown key as is', 'a.nope', null, 'a.nope'],
		['object key is not a message', 'a', null, 'a'],
		['placeholder without param kept', 'a.b', {}, 'Bonjour {{ name }}'],
	];
	for (const [name, key, params, want] of cases) {
		assert.equal(tr.t(key, params), want, name);
	}
	assert.equal(tr.lang, 'fr-FR');
});

test('t finds members whose names hold dots', () => {
	const dict = { v: { pattern: 'Bad format', 'pattern.blank': 'Blank', deep: { 'a.b': { c: 'C' } } } };
	const tr = i18n.create(dict, {}, 'en-US');
	assert.equal(tr.t('v.pattern'), 'Bad format');
	assert.equal(tr.t('v.pattern.blank'), 'Blank');
	assert.equal(tr.t('v.deep.a.b.c'), 'C');
	assert.equal(tr.t('v.pattern.nope'), 'v.pattern.nope');
});

test('has sees keys of either dictionary', () => {
	const tr = i18n.create(fr, en, 'fr-FR');
	assert.equal(tr.has('a.only'), true);
	assert.equal(tr.has('n.x'), true);
	assert.equal(tr.has('n.y'), false);
	assert.equal(tr.has('constructor'), false);
});

test('format does not rescan replacements', () => {
	assert.equal(i18n.format('{{a}}', { a: '{{b}}', b: 'no' }), '{{b}}');
	assert.equal(i18n.format('{{a}} {{a}}', { a: 1 }), '1 1');
});

test('merge overlays the language on a deep copy of the fallback', () => {
	const merged = i18n.merge(en, fr);
	assert.deepEqual(merged, { a: { b: 'Bonjour {{ name }}', only: 'en only' }, n: { x: 'X' } });
	merged.n.x = 'changed';
	assert.equal(en.n.x, 'X', 'fallback must not be modified');
});
