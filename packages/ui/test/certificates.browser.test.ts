import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createEndpoint, createOrg, eventually } from '../../server/test/helpers/herald.ts';
import { useRig } from './helpers/browser.ts';

const LEARNER = '507f191e810c19729de860ea';
const SECOND_LEARNER = '507f191e810c19729de860f0';
const DAY = 24 * 60 * 60 * 1000;

describe('back office: certificates', () => {
  const rig = useRig();
  let orgId: string;

  before(async () => {
    // Catalog validation on: the awarded certificate_* payloads must pass their schemas.
    orgId = await createOrg(rig.herald, 'Learning Org', {});
    await createEndpoint(rig.herald, orgId, {
      name: 'HR system',
      url: `${rig.receiver.url}/certificates`,
      eventTypes: ['certificate_completed'],
    });
  });

  test('create a badge, award certificates through the form, see their expiry status and the delivery reach the receiver', async () => {
    const { page } = rig;
    await rig.signIn();
    await page.goto(`/orgs/${orgId}/endpoints`);
    await rig.nav('Certificates').click();
    await page.getByRole('heading', { name: 'Certificates', level: 1 }).waitFor();
    await page.getByText('No badge yet').waitFor();
    await page.getByText('Create a badge first.').waitFor();

    await page.getByLabel('Badge name').fill('Safety Training');
    await page.getByLabel('Valid for (days, empty: never expires)').fill('365');
    await page.getByRole('button', { name: 'Create badge' }).click();
    await page.getByRole('row', { name: 'Safety Training certification 365 days' }).waitFor();

    // The API's validation error shows beside the field it names.
    const form = page.getByRole('form', { name: 'Award a certificate' });
    await form.getByLabel('User ID (24-hex ObjectId)').fill('learner-1');
    await form.getByRole('button', { name: 'Award certificate' }).click();
    await page.locator('#award-user-error').waitFor();
    assert.equal(
      await form.getByLabel('User ID (24-hex ObjectId)').getAttribute('aria-invalid'),
      'true',
    );
    rig.assertNoProblems(/400 \(Bad Request\)/);

    await form.getByLabel('User ID (24-hex ObjectId)').fill(LEARNER);
    await form.getByLabel('User name (optional)').fill('Ada Lovelace');
    await form.getByLabel('User email (optional)').fill('ada@example.com');
    await form.getByRole('button', { name: 'Award certificate' }).click();
    const first = page.getByRole('row', { name: new RegExp(LEARNER) });
    await first.getByText('active', { exact: true }).waitFor();
    assert.equal(await page.locator('#award-user-error').count(), 0);

    // A date-time of the form overrides the badge's validity: three days away is expiring.
    const soon = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 16);
    await form.getByLabel('User ID (24-hex ObjectId)').fill(SECOND_LEARNER);
    await form.getByLabel("Expires (optional, instead of the badge's validity)").fill(soon);
    await form.getByRole('button', { name: 'Award certificate' }).click();
    const second = page.getByRole('row', { name: new RegExp(SECOND_LEARNER) });
    await second.getByText('expiring', { exact: true }).waitFor();
    await rig.screenshot('certificates');

    // Each award's certificate_completed reached the receiver, carrying the listed certificate.
    const requests = await rig.receiver.waitFor(2);
    const received = requests.map((request) => {
      assert.equal(request.path, '/certificates');
      assert.equal(request.headers['webhook-event-type'], 'certificate_completed');
      return JSON.parse(request.body) as { _id: string; _userId: string; expires: string };
    });
    assert.deepEqual(received.map((body) => body._userId).sort(), [LEARNER, SECOND_LEARNER]);
    for (const body of received) {
      const row = page.getByRole('row', { name: new RegExp(body._userId) });
      await row.getByRole('cell', { name: body._id, exact: true }).waitFor();
    }
    await eventually(async () => {
      const list = await rig.herald.call(
        'GET',
        `/v1/orgs/${orgId}/deliveries?eventType=certificate_completed`,
      );
      const statuses = list.body.data.map((delivery: { status: string }) => delivery.status);
      return statuses.length === 2 && statuses.every((status: string) => status === 'delivered');
    });

    // The status filter narrows the list to the expiring one.
    await page.getByLabel('Status').selectOption('expiring');
    await first.waitFor({ state: 'detached' });
    await second.waitFor();
    await page.getByLabel('Status').selectOption('');
    await first.waitFor();

    // Revoking, after a confirmation, disables the certificate.
    await first.getByRole('button', { name: /^Revoke certificate/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke certificate?' });
    await confirm.getByRole('button', { name: 'Revoke certificate' }).click();
    await first.getByText('disabled', { exact: true }).waitFor();
    assert.equal(await first.getByRole('button', { name: /^Revoke/ }).count(), 0);
    await rig.screenshot('certificates-revoked');
  });

  test('rename a badge and delete it through its ⋯ menu; awarded certificates stay', async () => {
    const { page } = rig;
    const badgeId = (await rig.herald.call('GET', `/v1/orgs/${orgId}/badges`)).body.data[0].id;
    const menuButton = page.getByRole('button', { name: 'Actions for badge Safety Training' });
    await menuButton.click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename Safety Training' });
    const name = rename.getByLabel('New name');
    assert.equal(await name.inputValue(), 'Safety Training');

    // An empty name is the API's 400, shown beside the field; the dialog stays open.
    await name.fill('');
    await rename.getByRole('button', { name: 'Save name' }).click();
    await rename.locator('#rename-badge-name-error').waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    rig.assertNoProblems(/400 \(Bad Request\)/);

    await name.fill('Safety Training 2027');
    await name.press('Enter');
    await rename.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /Safety Training 2027 certification 365 days/ }).waitFor();
    const renamed = await rig.herald.call('GET', `/v1/orgs/${orgId}/badges/${badgeId}`);
    assert.equal(renamed.body.name, 'Safety Training 2027');
    await rig.screenshot('badge-renamed');

    // Delete asks first; Escape keeps the badge, confirming removes it.
    const renamedMenu = page.getByRole('button', {
      name: 'Actions for badge Safety Training 2027',
    });
    await renamedMenu.click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete badge?' });
    await confirm.waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    assert.equal((await rig.herald.call('GET', `/v1/orgs/${orgId}/badges/${badgeId}`)).status, 200);
    await renamedMenu.click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete badge' }).click();
    await page.getByText('No badge yet').waitFor();
    await page.getByText('Create a badge first.').waitFor();
    assert.equal((await rig.herald.call('GET', `/v1/orgs/${orgId}/badges/${badgeId}`)).status, 404);
    // The certificates already awarded are still listed.
    await page.getByRole('row', { name: new RegExp(LEARNER) }).waitFor();
    await page.getByRole('row', { name: new RegExp(SECOND_LEARNER) }).waitFor();
  });
});
