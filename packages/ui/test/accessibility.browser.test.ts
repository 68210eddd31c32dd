import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createEndpoint, createOrg, eventually } from '../../server/test/helpers/herald.ts';
import { useRig } from './helpers/browser.ts';

/**
 * Roles a person operates or moves between; each needs a name a screen reader
 * can say (and a test can find it by).
 */
const NAMED_ROLES = [
  'button',
  'checkbox',
  'combobox',
  'complementary',
  'dialog',
  'img',
  'link',
  'menuitem',
  'radio',
  'searchbox',
  'spinbutton',
  'switch',
  'table',
  'textbox',
];
/** An ARIA snapshot line of one of those roles with no quoted name after it. */
const UNNAMED = new RegExp(`^\\s*- (${NAMED_ROLES.join('|')})(?=$|:| \\[)`, 'gm');

describe('back office: every control, table, panel and dialog has an accessible name', () => {
  const rig = useRig();
  let orgId: string;
  let endpointId: string;
  let deliveryId: string;
  let eventId: string;

  before(async () => {
    orgId = await createOrg(rig.herald, 'Named Learning');
    endpointId = (
      await createEndpoint(rig.herald, orgId, { name: 'Named LMS', url: `${rig.receiver.url}/in` })
    ).id;
    eventId = (
      await rig.herald.call('POST', `/v1/orgs/${orgId}/events`, {
        type: 'lesson.started',
        payload: { lesson: 'l-1' },
      })
    ).body.id;
    deliveryId = await eventually(async () => {
      const { body } = await rig.herald.call('GET', `/v1/orgs/${orgId}/deliveries`);
      return body.data[0]?.status === 'delivered' && body.data[0].id;
    });
    await rig.herald.call('POST', `/v1/orgs/${orgId}/badges`, { name: 'First aid' });
    await rig.herald.call('POST', `/v1/orgs/${orgId}/api-keys`, { name: 'LMS' });
  });

  /** Fails with the ARIA snapshot lines of unnamed elements on the page as it is now. */
  async function allNamed(where: string) {
    const snapshot = await rig.page.locator('body').ariaSnapshot();
    const unnamed = snapshot.match(UNNAMED) ?? [];
    assert.deepEqual(unnamed, [], `unnamed elements on ${where}:\n${snapshot}`);
  }

  test('sign-in, organizations, endpoints and the endpoint form with every auth field shown', async () => {
    const { page } = rig;
    await page.goto('/');
    await page.getByLabel('Admin token or organization API key').waitFor();
    await allNamed('the sign-in page');
    await rig.signIn();
    await page.getByRole('link', { name: 'Named Learning' }).waitFor();
    await allNamed('the organizations page');

    await page.goto(`/orgs/${orgId}/endpoints`);
    await page
      .getByRole('row', { name: 'Named LMS' })
      .getByRole('cell', { name: '100%' })
      .waitFor();
    await page.getByRole('button', { name: 'Actions for Named LMS' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).waitFor();
    await allNamed('the endpoints page with a ⋯ menu open');
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete endpoint?' }).waitFor();
    await allNamed('the delete confirmation');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Actions for Named LMS' }).click();
    await page.getByRole('menuitem', { name: 'Reveal secret' }).click();
    await page
      .getByRole('dialog')
      .getByText(/^whsec_/)
      .waitFor();
    await allNamed('the secret dialog');
    await page.keyboard.press('Escape');

    await page.goto(`/orgs/${orgId}/endpoints/new`);
    await page.getByRole('group', { name: 'Event types' }).getByRole('checkbox').first().waitFor();
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('Retry policy').selectOption('custom');
    for (const method of ['bearer', 'basic', 'apiKey']) {
      await page.getByLabel('Method').selectOption(method);
      await allNamed(`the endpoint form with ${method} auth`);
    }
    await rig.screenshot('accessibility-endpoint-form');
  });

  test('endpoint page, deliveries with a delivery open, events with the publish form, event types', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${orgId}/endpoints/${endpointId}`);
    await page.getByRole('img', { name: /1 succeeded/ }).waitFor();
    await page.getByRole('table', { name: 'Recent deliveries' }).waitFor();
    await allNamed('the endpoint page');

    await page.goto(`/orgs/${orgId}/deliveries?endpoint=${endpointId}&selected=${deliveryId}`);
    const panel = page.getByRole('complementary');
    await panel.getByRole('listitem', { name: 'Attempt 1' }).waitFor();
    await panel.getByRole('region', { name: 'Event payload' }).waitFor();
    await page.getByRole('form', { name: 'Recover failed deliveries' }).waitFor();
    await allNamed('the deliveries log with a delivery open');

    await page.goto(`/orgs/${orgId}/events?selected=${eventId}`);
    await page.getByRole('complementary').getByRole('region', { name: 'Event payload' }).waitFor();
    await page.locator('summary', { hasText: 'Publish an event' }).click();
    await page.getByLabel('Payload (JSON)').waitFor();
    await allNamed('the events page with the publish form open');

    await page.goto('/event-types');
    await page.getByRole('heading', { name: 'certificate_completed', level: 2 }).waitFor();
    await allNamed('the event types page');
  });

  test('certificates with a badge dialog open, API keys', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${orgId}/certificates`);
    await page.getByRole('form', { name: 'Award a certificate' }).waitFor();
    await page.getByText('No certificate matches.').waitFor();
    await allNamed('the certificates page');
    await page.getByRole('button', { name: 'Actions for badge First aid' }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByRole('dialog', { name: 'Rename First aid' }).waitFor();
    await allNamed('the rename badge dialog');
    await page.keyboard.press('Escape');

    await page.goto(`/orgs/${orgId}/api-keys`);
    await page.getByRole('row', { name: /LMS/ }).waitFor();
    await allNamed('the API keys page');
  });
});
