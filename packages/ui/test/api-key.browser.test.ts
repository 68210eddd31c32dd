import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createEndpoint, createOrg } from '../../server/test/helpers/herald.ts';
import { type BrowserRig, startRig } from './helpers/browser.ts';

describe('back office: signing in with an organization API key', () => {
  let rig: BrowserRig;
  let orgId: string;
  let key: string;

  before(async () => {
    rig = await startRig();
    orgId = await createOrg(rig.herald, 'Key Org');
    await createOrg(rig.herald, 'Someone else');
    await createEndpoint(rig.herald, orgId, { name: 'Key endpoint', url: 'http://127.0.0.1:9/in' });
    const created = await rig.herald.call('POST', `/v1/orgs/${orgId}/api-keys`, { name: 'ui' });
    assert.equal(created.status, 201);
    key = created.body.key;
  });
  after(() => rig?.close());

  test('the key opens its own organization only, and survives a reload', async () => {
    const { page } = rig;
    await page.goto('/');
    await page.getByLabel('Admin token or organization API key').fill(key);
    await page.getByLabel('Organization ID (for an API key)').fill(orgId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    await page.getByRole('row', { name: 'Key endpoint' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/orgs/${orgId}/endpoints`);
    // No organization switcher for a key: it sees one organization.
    assert.equal(await page.getByRole('link', { name: 'switch' }).count(), 0);
    await page.reload();
    await page.getByRole('row', { name: 'Key endpoint' }).waitFor();
    await rig.screenshot('api-key-signed-in');
    assert.deepEqual(rig.problems, []);
  });
});
