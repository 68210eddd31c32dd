import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createEndpoint, createOrg } from '../../server/test/helpers/herald.ts';
import { useRig } from './helpers/browser.ts';

describe('back office: organization API keys', () => {
  const rig = useRig();
  let orgId: string;

  before(async () => {
    orgId = await createOrg(rig.herald, 'Key Org');
    await createOrg(rig.herald, 'Someone else');
    await createEndpoint(rig.herald, orgId, { name: 'Key endpoint', url: 'http://127.0.0.1:9/in' });
  });

  /** GET /v1/me with a key, from outside the browser: what a program holding it would see. */
  const whoIs = async (key: string) => {
    const response = await fetch(`${rig.herald.url}/v1/me`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await response.json()) as { kind?: string; error?: { code: string } };
    return { status: response.status, body };
  };

  test('the admin creates a key (shown once, with copy), sees its use, and revokes it after confirming', async () => {
    const { page, context } = rig;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: rig.herald.url,
    });
    await rig.signIn();
    await page.goto(`/orgs/${orgId}/endpoints`);
    await rig.nav('API keys').click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByText('No API key yet').waitFor();

    await page.getByLabel('Key name').fill('LMS production');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByRole('dialog', { name: 'API key LMS production created' });
    await shown.waitFor();
    const key = (await shown.getByLabel('New API key').textContent()) ?? '';
    assert.match(key, /^hk_[A-Za-z0-9_-]{43}$/);
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await page.getByRole('status').filter({ hasText: 'API key copied' }).waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), key);
    await rig.screenshot('api-key-created');
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    // Once closed, the key is nowhere on the page: only its prefix is listed.
    assert.equal(await page.getByText(key).count(), 0);
    const row = page.getByRole('row', { name: /LMS production/ });
    await row.getByRole('cell', { name: `${key.slice(0, 11)}…`, exact: true }).waitFor();
    await row.getByRole('cell', { name: 'never', exact: true }).waitFor();

    // A program uses the key; the list then shows when.
    assert.equal((await whoIs(key)).body.kind, 'org');
    await page.reload();
    await row.locator('time').nth(1).waitFor();
    assert.equal(await row.getByRole('cell', { name: 'never', exact: true }).count(), 0);

    // Escape backs out of the confirmation; nothing is revoked.
    const revokeButton = row.getByRole('button', { name: /^Revoke LMS production/ });
    await revokeButton.click();
    const confirm = page.getByRole('dialog', { name: 'Revoke API key?' });
    await confirm.waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    assert.equal((await whoIs(key)).status, 200);

    // Keyboard only: focus the button, Enter opens the dialog, Tab to confirm, Enter.
    await revokeButton.focus();
    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await rig.screenshot('api-key-revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke key' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('No API key yet').waitFor();
    const refused = await whoIs(key);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error?.code, 'WHK_ERR_UNAUTHORIZED');
  });

  test('signing in with the key alone opens its organization, survives a reload, and revoking it signs out', async () => {
    const created = await rig.herald.call('POST', `/v1/orgs/${orgId}/api-keys`, { name: 'ui' });
    assert.equal(created.status, 201);
    const key: string = created.body.key;
    const { page } = rig;
    await page.evaluate(() => sessionStorage.clear());
    await page.goto('/');

    // A key Herald does not know is refused on the sign-in page.
    await page.getByLabel('Admin token or organization API key').fill('hk_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That token was not accepted.' }).waitFor();
    // The browser itself logs the refused request; that is the only console error allowed.
    rig.assertNoProblems(/status of 401/);

    await page.getByLabel('Admin token or organization API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    await page.getByRole('row', { name: 'Key endpoint' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/orgs/${orgId}/endpoints`);
    // No organization switcher for a key: it sees one organization.
    assert.equal(await page.getByRole('link', { name: 'switch' }).count(), 0);
    await page.reload();
    await page.getByRole('row', { name: 'Key endpoint' }).waitFor();
    await rig.screenshot('api-key-signed-in');

    // The key's own row is marked; revoking it warns, then ends the session.
    await page.getByRole('link', { name: 'API keys' }).click();
    const own = page.getByRole('row', { name: /ui.*this session/ });
    await own.getByRole('button', { name: /^Revoke ui/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke API key?' });
    await confirm.getByText('revoking it signs you out').waitFor();
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByRole('heading', { name: 'Herald back office', level: 1 }).waitFor();
    assert.equal((await whoIs(key)).status, 401);
  });
});
