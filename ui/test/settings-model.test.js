'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./amd');

const model = load('settings-model');

const stored = {
	id: 'c1',
	name: 'TESTING',
	enabled: false,
	provider_name: 'duo_universal',
	settings: {
		client_id: 'DIXXXXXXXXXXXXXXXXXX',
		client_secret_set: true,
		api_hostname: 'api-1.example.test',
		redirect_uri: 'https://login.example.test/duo',
		failmode: 'safe',
		factors: ['push'],
		username_source: 'email',
		lockout: { max_failures: 3, window_s: 60, duration_s: 120 },
	},
};

test('viewModel of a new configuration starts from the defaults', () => {
	const vm = model.viewModel(null);
	assert.equal(vm.isNew, true);
	assert.equal(vm.enabled, true);
	assert.deepEqual(vm.provider, { duo: true, duo_universal: false });
	assert.deepEqual(vm.factors, { push: true, sms: true, phone: true, passcode: true });
	assert.equal(vm.values.duo_expire, '300');
	assert.equal(vm.values.max_failures, '5');
	assert.deepEqual(vm.secrets,
		{ secret_key: false, application_secret_key: false, client_secret: false });
});

test('viewModel shows which secrets are stored, never a value', () => {
	const vm = model.viewModel(stored);
	assert.equal(vm.isNew, false);
	assert.equal(vm.id, 'c1');
	assert.equal(vm.enabled, false);
	assert.deepEqual(vm.provider, { duo: false, duo_universal: true });
	assert.equal(vm.secrets.client_secret, true);
	assert.equal(vm.secrets.secret_key, false);
	assert.equal('client_secret' in vm.values, false);
	assert.deepEqual(vm.failmode, { secure: false, safe: true });
	assert.deepEqual(vm.usernameSource, { owner_id: false, username: false, email: true });
	assert.equal(vm.values.window_s, '60');
});

test('viewModel shows the default of every setting a document omits', () => {
	const vm = model.viewModel({ id: 'c2', name: 'API made', provider_name: 'duo',
		settings: { api_hostname: 'api-1.example.test', lockout: { window_s: 60 } } });
	assert.deepEqual(vm.factors, { push: true, sms: true, phone: true, passcode: true });
	assert.deepEqual(vm.failmode, { secure: true, safe: false });
	assert.equal(vm.values.duo_expire, '300');
	assert.equal(vm.values.app_expire, '3600');
	assert.equal(vm.values.window_s, '60');
	assert.equal(vm.values.max_failures, '5');
	const none = model.viewModel({ id: 'c3', name: 'No factors', settings: { factors: [] } });
	assert.deepEqual(none.factors, { push: false, sms: false, phone: false, passcode: false });
});

function formOf(over) {
	return Object.assign({
		name: '  TESTING ',
		enabled: true,
		provider_name: 'duo',
		'settings.integration_key': ' DIXXXXXXXXXXXXXXXXXX ',
		'settings.secret_key': '',
		'settings.application_secret_key': 'k'.repeat(40),
		'settings.api_hostname': 'api-1.example.test',
		'settings.client_id': 'should not be sent',
		'settings.duo_expire': '300',
		'settings.app_expire': '',
		'settings.failmode': 'secure',
		'settings.factors': ['push', 'sms'],
		'settings.username_source': 'owner_id',
		'settings.lockout.max_failures': '5',
		'settings.lockout.window_s': 'ten',
		'settings.lockout.duration_s': '900',
	}, over);
}

test('payload keeps the chosen provider only and leaves empty secrets out', () => {
	const body = model.payload(formOf());
	assert.deepEqual(body, {
		name: 'TESTING',
		enabled: true,
		provider_name: 'duo',
		settings: {
			integration_key: 'DIXXXXXXXXXXXXXXXXXX',
			application_secret_key: 'k'.repeat(40),
			api_hostname: 'api-1.example.test',
			duo_expire: 300,
			failmode: 'secure',
			factors: ['push', 'sms'],
			username_source: 'owner_id',
			lockout: { max_failures: 5, window_s: 'ten', duration_s: 900 },
		},
	});
});

test('payload for Universal Prompt', () => {
	const body = model.payload(formOf({
		provider_name: 'duo_universal',
		'settings.client_id': 'DIYYYYYYYYYYYYYYYYYY',
		'settings.client_secret': 'new secret',
		'settings.redirect_uri': 'https://login.example.test/duo',
	}));
	assert.equal(body.provider_name, 'duo_universal');
	assert.deepEqual(Object.keys(body.settings).sort(), [
		'api_hostname', 'client_id', 'client_secret', 'factors', 'failmode', 'lockout',
		'redirect_uri', 'username_source',
	]);
	assert.equal(body.settings.client_secret, 'new secret');
});

test('payload falls back to duo for an unknown provider and unchecked boxes', () => {
	const body = model.payload(formOf({
		provider_name: 'evil', enabled: undefined, 'settings.factors': undefined,
	}));
	assert.equal(body.provider_name, 'duo');
	assert.equal(body.enabled, false);
	assert.deepEqual(body.settings.factors, []);
});

test('errorTarget finds the input or its nearest named parent', () => {
	const names = ['name', 'settings.factors', 'settings.lockout.window_s'];
	const cases = [
		['name', 'name'],
		['settings.factors.2', 'settings.factors'],
		['settings.lockout.window_s', 'settings.lockout.window_s'],
		['settings.lockout', null],
		['settings', null],
		['', null],
	];
	for (const [path, want] of cases) {
		assert.equal(model.errorTarget(path, names), want, path);
	}
});
