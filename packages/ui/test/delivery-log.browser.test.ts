import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createEndpoint, createOrg, eventually } from '../../server/test/helpers/herald.ts';
import { text, useRig } from './helpers/browser.ts';

describe("back office: the deliveries log filters, and a delivery's full record", () => {
  const rig = useRig({ receiver: () => ({ status: 202, body: 'queued by the LMS' }) });
  let orgId: string;
  let lmsId: string;
  let deadId: string;

  before(async () => {
    orgId = await createOrg(rig.herald, 'Filtering Learning');
    // Credentials in the auth header and in a custom header, to see them redacted.
    lmsId = (
      await createEndpoint(rig.herald, orgId, {
        name: 'LMS',
        url: `${rig.receiver.url}/lms`,
        auth: { type: 'bearer', token: 'bearer-credential-123' },
        headers: { 'X-Api-Token': 'custom-credential-456', 'X-Tenant': 'acme' },
      })
    ).id;
    // Nothing listens on port 9: every attempt fails to connect, and no retry follows.
    deadId = (
      await createEndpoint(rig.herald, orgId, {
        name: 'Gone receiver',
        url: 'http://127.0.0.1:9/gone',
        eventTypes: ['lesson.failed'],
        retryPolicy: { schedule: [] },
      })
    ).id;
    for (const [type, payload] of [
      ['lesson.started', { lesson: 'l-1' }],
      ['lesson.failed', { lesson: 'l-2', score: 12 }],
    ] as const) {
      const published = await rig.herald.call('POST', `/v1/orgs/${orgId}/events`, {
        type,
        payload,
      });
      assert.equal(published.status, 202);
    }
    // Three deliveries, all settled: two to the LMS, one failed to the dead endpoint.
    await eventually(async () => {
      const { body } = await rig.herald.call('GET', `/v1/orgs/${orgId}/deliveries`);
      const settled = body.data.filter((d: { status: string }) =>
        ['delivered', 'failed'].includes(d.status),
      );
      return settled.length === 3;
    });
    await rig.signIn();
  });

  const rows = () => rig.page.getByRole('row', { name: /^Delivery dlv_/ });
  const rowsAre = (count: number) => eventually(async () => (await rows().count()) === count);

  /** Opens the log filtered down to one delivery, then its panel, once its first attempt shows. */
  const openTheOnlyDelivery = async (filters: string) => {
    await rig.page.goto(`/orgs/${orgId}/deliveries?${filters}`);
    await rowsAre(1);
    await rows()
      .first()
      .getByRole('button', { name: /^Details of/ })
      .click();
    const panel = rig.page.getByRole('complementary');
    const attempt = panel.getByRole('listitem', { name: 'Attempt 1' });
    await attempt.waitFor();
    return { panel, attempt };
  };

  test('filter by event type, endpoint, status and time; each filter is in the URL', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${orgId}/deliveries`);
    await rowsAre(3);
    const filters = page.getByRole('form', { name: 'Filter deliveries' });

    await filters.getByLabel('Event type').fill('lesson.failed');
    await rowsAre(2);
    assert.equal(new URL(page.url()).searchParams.get('eventType'), 'lesson.failed');

    await filters.getByLabel('Endpoint').selectOption({ label: 'Gone receiver' });
    await rowsAre(1);
    assert.match(await text(rows().first()), /Gone receiver.*failed/);
    assert.equal(new URL(page.url()).searchParams.get('endpoint'), deadId);

    await filters.getByLabel('Status').selectOption('delivered');
    await page.getByText('No delivery matches these filters.').waitFor();
    await rig.screenshot('deliveries-filtered-empty');

    // Reloading keeps the filters.
    await page.reload();
    await page.getByText('No delivery matches these filters.').waitFor();
    assert.equal(await filters.getByLabel('Status').inputValue(), 'delivered');

    await filters.getByLabel('Status').selectOption('');
    await filters.getByLabel('Endpoint').selectOption('');
    await filters.getByLabel('Event type').fill('');
    await rowsAre(3);

    // Time: the "since" field is the viewer's wall clock; the URL holds the instant.
    await filters.getByLabel('Since').fill('2099-01-01T00:00');
    await page.getByText('No delivery matches these filters.').waitFor();
    assert.equal(
      new URL(page.url()).searchParams.get('since'),
      // The rig's browser is in Europe/Paris (UTC+1 in January).
      '2098-12-31T23:00:00.000Z',
    );
    await filters.getByLabel('Since').fill('2020-01-01T00:00');
    await rowsAre(3);
    // Until is exclusive: nothing was created before 2020, everything before 2099.
    await filters.getByLabel('Until').fill('2020-01-01T00:00');
    await page.getByText('No delivery matches these filters.').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('until'), '2019-12-31T23:00:00.000Z');
    await filters.getByLabel('Until').fill('2099-01-01T00:00');
    await rowsAre(3);
  });

  test('a failed attempt shows its error and duration; the payload is beside it', async () => {
    const { page } = rig;
    const { panel, attempt } = await openTheOnlyDelivery(`endpoint=${deadId}`);
    const [recorded] = (
      await rig.herald.call(
        'GET',
        `/v1/orgs/${orgId}/deliveries/${new URL(page.url()).searchParams.get('selected')}`,
      )
    ).body.attempts;
    assert.equal(recorded.statusCode, null);
    assert.ok(recorded.error && recorded.errorMessage, 'the API recorded why it failed');
    assert.match(
      await text(attempt),
      new RegExp(`#1\\s*${recorded.error}\\s*· ${recorded.durationMs} ms`),
    );
    assert.equal(await text(attempt.locator('.field-error')), recorded.errorMessage);
    assert.match(await text(panel.getByRole('region', { name: 'Event payload' })), /"score": 12/);
    await panel.getByRole('button', { name: 'Retry' }).waitFor();
    await rig.screenshot('delivery-connection-refused');
  });

  test('a delivered attempt shows its code, response body and request headers with credentials redacted', async () => {
    const { page } = rig;
    const { panel, attempt } = await openTheOnlyDelivery(
      `endpoint=${lmsId}&eventType=lesson.started`,
    );
    assert.match(await text(attempt), /#1\s*202\s*· \d+ ms/);
    assert.equal(
      await text(panel.getByRole('region', { name: 'Response body of attempt 1' })),
      'queued by the LMS',
    );
    await attempt.getByText('Request headers').click();
    const headers = JSON.parse(
      await text(panel.getByRole('region', { name: 'Request headers of attempt 1' })),
    ) as Record<string, string>;
    assert.equal(headers.authorization, '[redacted]');
    assert.equal(headers['x-api-token'], '[redacted]');
    assert.equal(headers['x-tenant'], 'acme');
    assert.match(headers['webhook-signature'], /^v1,/);
    // The receiver did get the real credentials; the page shows them nowhere.
    const sent = rig.receiver.requests.find((request) => request.path === '/lms');
    assert.equal(sent?.headers.authorization, 'Bearer bearer-credential-123');
    const html = await page.content();
    assert.ok(!html.includes('bearer-credential-123') && !html.includes('custom-credential-456'));
    assert.equal(await panel.getByRole('button', { name: 'Retry' }).count(), 0);
    await rig.screenshot('delivery-request-headers');
  });
});
