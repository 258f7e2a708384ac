'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./amd');

const api = load('api');

// fakeFetch records calls and answers each with the next scripted reply.
function fakeFetch(replies) {
	const calls = [];
	const fetch = (url, init) => {
		calls.push({ url, init });
		const r = replies.shift();
		if (r instanceof Error) {
			return Promise.reject(r);
		}
		return Promise.resolve({
			ok: r.status >= 200 && r.status < 300,
			status: r.status,
			text: () => Promise.resolve(
				typeof r.body === 'string' ? r.body : JSON.stringify(r.body)),
			blob: () => Promise.resolve({ csv: r.body }),
		});
	};
	return { calls, fetch };
}

function client(f, extra) {
	return api.create(Object.assign({
		baseUrl: 'http://127.0.0.1:8080/v2',
		accountId: 'acc1',
		token: () => 'tok',
		language: 'fr-FR',
		fetch: f.fetch,
	}, extra));
}

const ok = (data, more) => ({
	status: 200,
	body: Object.assign({ status: 'success', data }, more),
});

test('requests carry the token, language and crossbar body', async () => {
	const f = fakeFetch([ok({ id: 'c1', name: 'N' })]);
	const saved = await client(f).replaceConfig('c 1', { name: 'N' });
	assert.deepEqual(saved, { id: 'c1', name: 'N' });
	const { url, init } = f.calls[0];
	assert.equal(url, 'http://127.0.0.1:8080/v2/accounts/acc1/duo/c%201');
	assert.equal(init.method, 'POST');
	assert.equal(init.headers['X-Auth-Token'], 'tok');
	assert.equal(init.headers['Accept-Language'], 'fr-FR');
	assert.equal(init.headers['Content-Type'], 'application/json');
	assert.deepEqual(JSON.parse(init.body), { data: { name: 'N' } });
});

test('each method calls its route', async () => {
	const cases = [
		['listConfigs', [], 'GET', '/duo'],
		['getConfig', ['c1'], 'GET', '/duo/c1'],
		['createConfig', [{}], 'PUT', '/duo'],
		['deleteConfig', ['c1'], 'DELETE', '/duo/c1'],
		['checkConfig', ['c1'], 'PUT', '/duo/c1/check'],
		['generateKey', [], 'PUT', '/duo/application_secret_key'],
		['getFailure', ['202611-ab'], 'GET', '/duo/failure_logs/202611-ab'],
		['getPreferences', [], 'GET', '/duo/preferences'],
	];
	for (const [method, args, verb, suffix] of cases) {
		const f = fakeFetch([ok({ application_secret_key: 'k' })]);
		await client(f)[method](...args);
		assert.equal(f.calls[0].init.method, verb, method);
		assert.equal(f.calls[0].url, 'http://127.0.0.1:8080/v2/accounts/acc1' + suffix, method);
	}
});

test('getPreferences returns the data of the envelope', async () => {
	const f = fakeFetch([ok({ timezone: 'Asia/Tokyo' })]);
	assert.deepEqual(await client(f).getPreferences(), { timezone: 'Asia/Tokyo' });
});

test('getConfig returns the revision of the envelope', async () => {
	const f = fakeFetch([ok({ id: 'c1' }, { revision: '3-abc' })]);
	assert.deepEqual(await client(f).getConfig('c1'), { config: { id: 'c1' }, revision: '3-abc' });
});

test('listFailures sends set params only and returns the paging keys', async () => {
	const f = fakeFetch([ok([{ id: 'a' }], { next_start_key: 'k2', page_size: 50 })]);
	const page = await client(f).listFailures({
		page_size: 50, q: '', start_key: undefined, filter_reason: 'user denied',
	});
	assert.deepEqual(page, { rows: [{ id: 'a' }], nextStartKey: 'k2', pageSize: 50 });
	assert.equal(f.calls[0].url, 'http://127.0.0.1:8080/v2/accounts/acc1/duo/failure_logs' +
		'?page_size=50&filter_reason=user%20denied');
});

test('exportFailures asks for CSV and returns the blob', async () => {
	const f = fakeFetch([{ status: 200, body: 'id,status\n' }]);
	const blob = await client(f).exportFailures({ paginate: 'false' });
	assert.deepEqual(blob, { csv: 'id,status\n' });
	assert.equal(f.calls[0].init.headers.Accept, 'text/csv');
});

test('failures reject with ApiError', async () => {
	const validation = {
		'settings.integration_key': { minLength: { message: 'trop court', target: 20 } },
		name: { required: { message: 'requis' } },
	};
	const cases = [
		['validation', { status: 400, body: {
			status: 'error', error: '400', message: 'invalid_request', data: validation,
		} }, 400, 'invalid_request'],
		['token', { status: 401, body: {
			status: 'error', error: '401', message: 'invalid_token', data: {},
		} }, 401, 'invalid_token'],
		['not JSON', { status: 502, body: '<html>' }, 502, ''],
		['error status in a 200', { status: 200, body: { status: 'error', message: 'odd' } }, 200, 'odd'],
		['network', new Error('offline'), 0, 'network'],
	];
	for (const [name, reply, status, code] of cases) {
		const f = fakeFetch([reply]);
		await assert.rejects(client(f).listConfigs(), (err) => {
			assert.ok(err instanceof api.ApiError, name);
			assert.equal(err.status, status, name);
			assert.equal(err.code, code, name);
			return true;
		});
	}
});

test('fieldErrors lists path, rule, message, key and params', async () => {
	const f = fakeFetch([{ status: 400, body: { status: 'error', message: 'invalid_request', data: {
		'settings.integration_key': { minLength: { message: 'trop court', target: 20 } },
		name: { required: { message: 'requis' } },
		'settings.api_hostname': { format: { message: 'un mot', key: 'validation.hostname.single_label',
			params: { example: 'api-x.duosecurity.com' } } },
		weird: 'not an object',
	} } }]);
	const err = await client(f).createConfig({}).catch((e) => e);
	assert.deepEqual(err.fieldErrors().map((e) => [e.path, e.rule, e.message, e.key, e.params.target]), [
		['settings.integration_key', 'minLength', 'trop court', '', 20],
		['name', 'required', 'requis', '', undefined],
		['settings.api_hostname', 'format', 'un mot', 'validation.hostname.single_label', undefined],
	]);
	assert.equal(err.fieldErrors()[2].params.example, 'api-x.duosecurity.com');
	assert.deepEqual(new api.ApiError(401, 'x', {}).fieldErrors(), []);
});

test('onUnauthorized hears every 401', async () => {
	const f = fakeFetch([{ status: 401, body: { status: 'error', message: 'invalid_token' } }]);
	let heard = null;
	const c = client(f, { onUnauthorized: (err) => { heard = err.code; } });
	await assert.rejects(c.listConfigs());
	assert.equal(heard, 'invalid_token');
});
