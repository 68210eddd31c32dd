import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHerald, type TestHerald, tempDir } from '../helpers/herald.ts';

describe('the back office is served on the API port', () => {
  let t: TestHerald;

  before(async () => {
    const ui = tempDir('herald-ui-');
    mkdirSync(join(ui, 'assets'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Herald</title><div id="root">');
    writeFileSync(join(ui, 'assets', 'app-abc123.js'), 'console.log(1)');
    t = await startHerald({ listen: false, uiDir: ui });
  });
  after(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.herald.api.inject({ method: 'GET', url, headers });

  test('/ is the app, assets are cached for good, the shell is revalidated', async () => {
    const root = await get('/');
    assert.equal(root.statusCode, 200);
    assert.match(root.headers['content-type'] as string, /text\/html/);
    assert.match(root.body, /<div id="root">/);
    assert.equal(root.headers['cache-control'], 'no-cache');
    const asset = await get('/assets/app-abc123.js');
    assert.equal(asset.statusCode, 200);
    assert.match(asset.headers['cache-control'] as string, /immutable/);
  });

  test('a browser opening a deep link gets the app shell; an API client a JSON 404', async () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const page = await get('/orgs/org_1/deliveries?status=failed', { accept });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<div id="root">/);
    const apiClients: Record<string, string>[] = [
      {},
      { accept: '*/*' },
      { accept: 'application/json' },
    ];
    for (const headers of apiClients) {
      const response = await get('/orgs/org_1/deliveries', headers);
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'WHK_ERR_NOT_FOUND');
    }
  });

  // The back office's catch-all route takes paths the API routes cannot,
  // overlong ids among them: they still get the API's 414, as without it.
  test('an id over the router limit is a 414 here too', async () => {
    const token = { authorization: 'Bearer x' };
    for (const url of [
      `/v1/orgs/${'a'.repeat(201)}`,
      `/v1/orgs/org_1/endpoints/${'b'.repeat(300)}`,
    ]) {
      const response = await get(url, token);
      assert.equal(response.statusCode, 414, url);
      assert.equal(response.json().error.code, 'WHK_ERR_URI_TOO_LONG', url);
    }
  });

  test('API paths are never swallowed by the fallback', async () => {
    for (const url of ['/v1/nothing-here', '/v1', '/healthz/x', '/metrics/x', '/openapi.json/x']) {
      const response = await get(url, { accept: 'text/html' });
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.json().error.code, 'WHK_ERR_NOT_FOUND', url);
    }
    assert.equal((await get('/healthz')).json().status, 'ok');
    assert.equal((await get('/openapi.json')).statusCode, 200);
    assert.match((await get('/metrics')).body, /# HELP/);
    const unauth = await get('/v1/orgs');
    assert.equal(unauth.statusCode, 401);
  });

  test('a missing asset is a 404, not HTML', async () => {
    const response = await get('/assets/missing-000.js');
    assert.equal(response.statusCode, 404);
    assert.doesNotMatch(response.body, /<div id="root">/);
  });

  test('other methods on app paths are still JSON 404s', async () => {
    const response = await t.herald.api.inject({ method: 'POST', url: '/orgs' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().error.code, 'WHK_ERR_NOT_FOUND');
  });
});

describe('without a built back office', () => {
  test('the API alone is served and / is a JSON 404', async () => {
    const t = await startHerald({ listen: false, uiDir: tempDir('herald-no-ui-') });
    try {
      const response = await t.herald.api.inject({ method: 'GET', url: '/' });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.code, 'WHK_ERR_NOT_FOUND');
    } finally {
      await t.close();
    }
  });
});
