import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { eventually } from '../../server/test/helpers/herald.ts';
import { useRig } from './helpers/browser.ts';

describe('back office: endpoints in a real browser', () => {
  const rig = useRig();

  before(async () => {});

  test('sign in, create an organization and an endpoint through the form', async () => {
    const { page } = rig;
    await rig.signIn();
    await page.getByText('No organization yet').waitFor();
    await page.getByLabel('Name').fill('Acme Learning');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    await page.getByText('No endpoint yet').waitFor();

    await page.getByRole('link', { name: 'New endpoint' }).click();
    await page.getByLabel('Name').fill('LMS certificates');
    await page.getByLabel('URL', { exact: true }).fill(`${rig.receiver.url}/hooks`);
    // Herald has an event catalog: the form offers its types as checkboxes.
    await page.getByLabel('certificate_completed', { exact: true }).check();
    await page.getByLabel('certificate_expired', { exact: true }).check();
    await page.getByLabel('Method').selectOption('bearer');
    await page.getByLabel('Token').fill('receiver-bearer-token');
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('Header 1 name').fill('X-Tenant');
    await page.getByLabel('Header 1 value').fill('acme');
    await page.getByLabel('Timeout (ms)').fill('3000');
    await page.getByLabel('Max concurrency').fill('2');
    await page.getByLabel('Retry policy').selectOption('custom');
    await page.getByLabel('Waits between attempts (seconds)').fill('60, 300');
    await page.getByLabel('Payload format').selectOption('envelope');
    await rig.screenshot('endpoint-form');
    await page.getByRole('button', { name: 'Create endpoint' }).click();

    await page.getByRole('heading', { name: 'LMS certificates', level: 1, exact: true }).waitFor();
    const orgId = page.url().split('/')[4];
    const { body } = await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints`);
    assert.equal(body.data.length, 1);
    const created = body.data[0];
    assert.equal(created.url, `${rig.receiver.url}/hooks`);
    assert.deepEqual(created.eventTypes, ['certificate_completed', 'certificate_expired']);
    assert.deepEqual(created.auth, { type: 'bearer' });
    assert.deepEqual(created.headers, { 'X-Tenant': 'acme' });
    assert.equal(created.timeoutMs, 3000);
    assert.equal(created.maxConcurrency, 2);
    assert.deepEqual(created.retryPolicy, { schedule: [60_000, 300_000] });
    assert.equal(created.payloadFormat, 'envelope');

    await rig.nav('Endpoints').click();
    const row = page.getByRole('row', { name: 'LMS certificates' });
    await row.getByText('certificate_completed').waitFor();
    await row.getByRole('switch', { name: 'Enabled: LMS certificates' }).waitFor();
    assert.equal(await row.getByRole('switch').isChecked(), true);
    await rig.screenshot('endpoints-created');
  });

  test('a server validation error appears next to its field', async () => {
    const { page } = rig;
    await page.getByRole('link', { name: 'New endpoint' }).click();
    await page.getByLabel('Name').fill('Broken');
    await page.getByLabel('URL', { exact: true }).fill('ftp://files.example.com/drop');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const error = page.locator('#url-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /http or https/);
    // It is tied to the URL input for assistive technology, and the input is flagged.
    const url = page.getByLabel('URL', { exact: true });
    assert.equal(await url.getAttribute('aria-invalid'), 'true');
    assert.match((await url.getAttribute('aria-describedby')) ?? '', /url-error/);
    assert.equal(await page.locator('#name-error').count(), 0);

    await page.getByLabel('URL', { exact: true }).fill(`${rig.receiver.url}/ok`);
    await page.getByLabel('Timeout (ms)').fill('10');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.locator('#timeoutMs-error').waitFor();
    assert.equal(await page.locator('#url-error').count(), 0);
    await rig.screenshot('endpoint-validation-error');

    // A schedule that is not numbers is caught before the API is asked, the same way.
    await page.getByLabel('Timeout (ms)').fill('3000');
    await page.getByLabel('Retry policy').selectOption('custom');
    await page.getByLabel('Waits between attempts (seconds)').fill('soon, later');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const schedule = page.locator('#retryPolicy-error');
    await schedule.waitFor();
    assert.match((await schedule.textContent()) ?? '', /in seconds/);
    assert.equal(await page.locator('#timeoutMs-error').count(), 0);
    assert.equal(
      await page.getByLabel('Retry policy').evaluate((el) => el === el.ownerDocument.activeElement),
      true,
    );
    // The API's 400s are answers, not console errors of the app.
    rig.assertNoProblems(/400 \(Bad Request\)/);
  });

  test('Edit from the ⋯ menu opens the filled form; saving keeps the stored credentials', async () => {
    const { page } = rig;
    await rig.nav('Endpoints').click();
    await page.getByRole('button', { name: 'Actions for LMS certificates' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit LMS certificates', level: 1 }).waitFor();
    const timeout = page.getByLabel('Timeout (ms)');
    assert.equal(await timeout.inputValue(), '3000');
    assert.equal(await page.getByLabel('Method').inputValue(), 'bearer');
    assert.equal(await page.getByLabel('Token').inputValue(), '', 'credentials never come back');
    assert.equal(await page.getByLabel('Header 1 name').inputValue(), 'X-Tenant');
    assert.equal(await page.getByLabel('Waits between attempts (seconds)').inputValue(), '60, 300');
    await timeout.fill('8000');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'LMS certificates', level: 1, exact: true }).waitFor();
    const orgId = page.url().split('/')[4];
    const { body } = await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints`);
    assert.equal(body.data[0].timeoutMs, 8000);
    assert.deepEqual(body.data[0].auth, { type: 'bearer' });
    assert.deepEqual(body.data[0].retryPolicy, { schedule: [60_000, 300_000] });
  });

  test('"Send test event" in the ⋯ menu reaches the receiver; the secret dialog copies the secret', async () => {
    const { page, context } = rig;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: rig.herald.url,
    });
    const row = page.getByRole('row', { name: 'LMS certificates' });
    await rig.nav('Endpoints').click();
    await row.getByRole('button', { name: 'Actions for LMS certificates' }).click();
    await page.getByRole('menuitem', { name: 'Send test event' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Test event sent to LMS certificates' })
      .waitFor();
    const [request] = await rig.receiver.waitFor(1);
    assert.equal(request.path, '/hooks');
    assert.equal(request.headers['webhook-event-type'], 'webhook.test');
    assert.equal(request.headers.authorization, 'Bearer receiver-bearer-token');

    await row.getByRole('button', { name: 'Actions for LMS certificates' }).click();
    await page.getByRole('menuitem', { name: 'Reveal secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Signing secret of LMS certificates' });
    await dialog.getByText(/^whsec_/).waitFor();
    await dialog.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByRole('status').filter({ hasText: 'Secret copied' }).waitFor();
    const orgId = page.url().split('/')[4];
    const endpointId = (await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints`)).body.data[0]
      .id;
    const { secret } = (
      await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints/${endpointId}/secret`)
    ).body;
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), secret);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test('the ⋯ menu works from the keyboard: reveal the secret, disable, delete', async () => {
    const { page } = rig;
    await rig.nav('Endpoints').click();
    const row = page.getByRole('row', { name: 'LMS certificates' });
    const menuButton = row.getByRole('button', { name: 'Actions for LMS certificates' });

    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Actions for LMS certificates' });
    await menu.waitFor();
    const items = await menu.getByRole('menuitem').allInnerTexts();
    assert.deepEqual(items, [
      'Edit',
      'Send test event',
      'Rotate secret',
      'Reveal secret',
      'Disable',
      'Delete',
    ]);
    // Escape closes it and gives focus back to the button.
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await menuButton.evaluate((el) => el === el.ownerDocument.activeElement), true);

    // Rotate the secret from the keyboard: ArrowDown opens on the first item, then move on.
    const orgId = page.url().split('/')[4];
    const endpointId = (await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints`)).body.data[0]
      .id;
    const secretNow = async () =>
      (await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints/${endpointId}/secret`)).body
        .secret;
    const before = await secretNow();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Rotate secret');
    await page.keyboard.press('Enter');
    await page.getByText('Secret of LMS certificates rotated').waitFor();
    assert.notEqual(await secretNow(), before);

    // Reveal the (new) secret: End goes to the last item, ArrowUp twice to "Reveal secret".
    await menuButton.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Signing secret of LMS certificates' });
    await dialog.waitFor();
    const current = await secretNow();
    await eventually(
      async () => (await dialog.getByLabel('Signing secret').textContent()) === current,
    );
    await rig.screenshot('endpoint-secret');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Disable through the menu: the switch and the API agree.
    await menuButton.click();
    await menu.getByRole('menuitem', { name: 'Disable' }).click();
    const toggle = row.getByRole('switch', { name: 'Enabled: LMS certificates' });
    await eventually(async () => !(await toggle.isChecked()));
    const listed = await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints`);
    assert.equal(listed.body.data[0].enabled, false);
    // And back on with the switch itself.
    await toggle.click();
    await eventually(async () => toggle.isChecked());

    // Delete asks first; Cancel keeps the endpoint.
    await menuButton.click();
    await menu.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete endpoint?' });
    await confirm.waitFor();
    await rig.screenshot('endpoint-delete-confirmation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await row.count(), 1);

    await menuButton.click();
    await menu.getByRole('menuitem', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByText('No endpoint yet').waitFor();
    const after = await rig.herald.call('GET', `/v1/orgs/${orgId}/endpoints`);
    assert.equal(after.body.data.length, 0);
    await rig.screenshot('endpoints-after-delete');
  });

  test('Basic and API-key auth set through the form reach the receiver, and switching method replaces the credentials', async () => {
    const { page } = rig;
    await rig.nav('Endpoints').click();
    await page.getByRole('link', { name: 'New endpoint' }).first().click();
    await page.getByLabel('Name').fill('Basic receiver');
    await page.getByLabel('URL', { exact: true }).fill(`${rig.receiver.url}/basic`);
    await page.getByLabel('Method').selectOption('basic');
    await page.getByLabel('Username').fill('herald');
    await page.getByLabel('Password').fill('s3cret pass');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByRole('heading', { name: 'Basic receiver', level: 1 }).waitFor();

    const sendTest = async () => {
      const before = rig.receiver.requests.length;
      await rig.nav('Endpoints').click();
      await page.getByRole('button', { name: 'Actions for Basic receiver' }).click();
      await page.getByRole('menuitem', { name: 'Send test event' }).click();
      const requests = await rig.receiver.waitFor(before + 1);
      return requests[before];
    };
    const basic = await sendTest();
    assert.equal(basic.path, '/basic');
    assert.equal(
      basic.headers.authorization,
      `Basic ${Buffer.from('herald:s3cret pass').toString('base64')}`,
    );

    await page.getByRole('button', { name: 'Actions for Basic receiver' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit Basic receiver', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), 'herald');
    await page.getByLabel('Method').selectOption('apiKey');
    await page.getByLabel('Header name').fill('X-Receiver-Key');
    await page.getByLabel('Key', { exact: true }).fill('key-789');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Basic receiver', level: 1 }).waitFor();
    const apiKey = await sendTest();
    assert.equal(apiKey.headers['x-receiver-key'], 'key-789');
    assert.equal(apiKey.headers.authorization, undefined);
  });
});
