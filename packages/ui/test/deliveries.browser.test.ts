import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createEndpoint, createOrg, eventually } from '../../server/test/helpers/herald.ts';
import { badgeUser } from '../../server/test/interop/payloads.ts';
import { text, useRig } from './helpers/browser.ts';

describe('back office: events, deliveries and statistics in a real browser', () => {
  const rig = useRig();
  let orgId: string;
  let endpointId: string;

  before(async () => {
    orgId = await createOrg(rig.herald, 'Seably');
    endpointId = (
      await createEndpoint(rig.herald, orgId, {
        name: 'Certificates receiver',
        url: `${rig.receiver.url}/webhooks`,
        // No retries: a failing receiver fails the delivery at once, for the Retry button.
        retryPolicy: { schedule: [] },
      })
    ).id;
    await rig.signIn();
  });

  const publish = async (type: string, payload: object) => {
    const { page } = rig;
    await rig.nav('Events').click();
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    const form = page.locator('details', { hasText: 'Publish an event' });
    if ((await form.getAttribute('open')) === null) await form.locator('summary').click();
    await page.getByLabel('Event type').first().fill(type);
    await page.getByLabel('Payload (JSON)').fill(JSON.stringify(payload));
    await page.getByRole('button', { name: 'Publish event' }).click();
    await page.getByText(/published to 1 endpoint/).waitFor();
  };

  const endpointCounts = async () => {
    const { page } = rig;
    await page.goto(`/orgs/${orgId}/endpoints/${endpointId}`);
    await page.getByRole('heading', { name: 'Certificates receiver', level: 1 }).waitFor();
    await page.getByTestId('count-delivered').waitFor();
    return {
      delivered: Number(await text(page.getByTestId('count-delivered'))),
      failed: Number(await text(page.getByTestId('count-failed'))),
      rate: await text(page.getByTestId('success-rate')),
    };
  };

  test('publish an event from the events page and watch it get delivered', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${orgId}/events`);
    await page.getByText('No event yet').waitFor();
    // Payloads are valid BadgeUser documents: ingest validates built-in types against their schema.
    const completed = badgeUser({
      ruleData: { ...badgeUser().ruleData, name: 'Ada Safety Course' },
    });
    await publish('certificate_completed', completed);
    const [request] = await rig.receiver.waitFor(1);
    assert.deepEqual(JSON.parse(request.body), completed);

    // The payload viewer shows what was published.
    await page
      .getByRole('button', { name: /^Payload of evt_/ })
      .first()
      .click();
    const payload = page.getByRole('region', { name: 'Event payload' });
    assert.match(await text(payload), /Ada Safety Course/);

    // The log picks the delivery up by itself and shows it delivered.
    await rig.nav('Deliveries').click();
    const row = page.getByRole('row', { name: /^Delivery dlv_/ }).first();
    await row.getByText('delivered').waitFor();
    assert.match(await text(row), /certificate_completed/);
    assert.match(await text(row), /Certificates receiver/);
    await row.getByRole('button', { name: /^Details of/ }).click();
    const panel = page.getByRole('complementary');
    await panel.getByRole('listitem', { name: 'Attempt 1' }).waitFor();
    assert.match(await text(panel.getByRole('listitem', { name: 'Attempt 1' })), /#1\s*200/);
    await panel.getByText('Request headers').click();
    const headers = await text(panel.getByRole('region', { name: 'Request headers of attempt 1' }));
    assert.match(headers, /"webhook-event-type": "certificate_completed"/);
    assert.match(headers, /"webhook-signature": "v1,/);
    await rig.screenshot('delivery-delivered');

    const counts = await endpointCounts();
    assert.deepEqual(counts, { delivered: 1, failed: 0, rate: '100%' });
    await page.getByRole('img', { name: /1 succeeded, 0 failed/ }).waitFor();
    // Latency percentiles of the window, and the latest deliveries with their status.
    assert.match(
      await text(page.getByLabel('Latency percentiles')),
      /^p50\d+ msp90\d+ msp99\d+ ms$/,
    );
    await page
      .getByRole('table', { name: 'Recent deliveries' })
      .getByRole('row', { name: /certificate_completed delivered 1/ })
      .waitFor();
    await rig.screenshot('endpoint-page');
  });

  test('a failing receiver fails the delivery; Retry in the log delivers it', async () => {
    const { page } = rig;
    rig.receiver.behave(() => ({ status: 500, body: 'receiver exploded' }));
    await publish('certificate_expired', badgeUser({ _id: '507f1f77bcf86cd799439042' }));
    await rig.receiver.waitFor(2);

    await page.goto(`/orgs/${orgId}/deliveries?status=failed`);
    const row = page.getByRole('row', { name: /^Delivery dlv_/ });
    await row.getByText('failed').waitFor();
    assert.equal(await row.count(), 1, 'the status filter keeps only the failed delivery');
    await row.getByRole('button', { name: /^Details of/ }).click();
    const panel = page.getByRole('complementary');
    const first = panel.getByRole('listitem', { name: 'Attempt 1' });
    await first.waitFor();
    assert.match(await text(first), /500/);
    assert.match(
      await text(panel.getByRole('region', { name: 'Response body of attempt 1' })),
      /receiver exploded/,
    );
    assert.match(
      await text(panel.getByRole('region', { name: 'Event payload' })),
      /507f1f77bcf86cd799439042/,
    );

    const failedCounts = await endpointCounts();
    assert.deepEqual(failedCounts, { delivered: 1, failed: 1, rate: '50%' });

    rig.receiver.behave(() => ({ status: 200, body: 'thanks' }));
    await page.goBack();
    await page.getByRole('complementary').getByRole('button', { name: 'Retry' }).click();
    const second = page.getByRole('complementary').getByRole('listitem', { name: 'Attempt 2' });
    await second.waitFor();
    assert.match(await text(second), /#2\s*200/);
    await page.getByRole('complementary').getByText('delivered').waitFor();
    assert.equal(rig.receiver.requests.length, 3);
    await rig.screenshot('delivery-attempts-after-retry');
    // The whole log with the delivery's attempts beside it, as a reader would open it.
    const deliveryId = new URL(page.url()).searchParams.get('selected');
    await page.goto(`/orgs/${orgId}/deliveries?selected=${deliveryId}`);
    await page.getByRole('complementary').getByRole('listitem', { name: 'Attempt 2' }).waitFor();
    await page
      .getByRole('row', { name: /^Delivery dlv_/ })
      .first()
      .waitFor();
    await rig.screenshot('delivery-attempts', { readme: true, height: 720 });

    const after = await endpointCounts();
    assert.deepEqual(after, { delivered: 2, failed: 0, rate: '66.7%' });
    await page.getByRole('img', { name: /2 succeeded, 1 failed/ }).waitFor();
    // The endpoints table shows the same 24 h success rate (next to a second, disabled endpoint).
    await createEndpoint(rig.herald, orgId, {
      name: 'Beedeez LMS',
      url: `${rig.receiver.url}/beedeez`,
      eventTypes: ['certificate_completed', 'certificate_expired'],
      enabled: false,
    });
    await rig.nav('Endpoints').click();
    await page.getByRole('row', { name: 'Beedeez LMS' }).waitFor();
    await page
      .getByRole('row', { name: 'Certificates receiver' })
      .getByRole('cell', { name: '66.7%' })
      .waitFor();
    await rig.screenshot('endpoints', { readme: true });
  });

  test('recover failed deliveries since a time, for one endpoint', async () => {
    const { page } = rig;
    rig.receiver.behave(() => ({ status: 503 }));
    const already = rig.receiver.requests.length;
    await publish('certificate_completed', badgeUser({ __v: 1 }));
    await publish('certificate_completed', badgeUser({ __v: 2 }));
    await rig.receiver.waitFor(already + 2);

    await page.goto(`/orgs/${orgId}/deliveries?endpoint=${endpointId}&status=failed`);
    await eventually(
      async () => (await page.getByRole('row', { name: /^Delivery dlv_/ }).count()) === 2,
    );
    rig.receiver.behave(() => ({ status: 200 }));
    // The default "since" is 24 hours ago, in the viewer's zone.
    await page.getByRole('button', { name: 'Recover failed' }).click();
    await page.getByText('2 failed deliveries queued again').waitFor();
    await rig.receiver.waitFor(already + 4);
    await page.getByText('No delivery matches these filters.').waitFor();
    await rig.screenshot('deliveries-recovered');
    const { body } = await rig.herald.call('GET', `/v1/orgs/${orgId}/deliveries?status=failed`);
    assert.equal(body.data.length, 0);
  });
});
