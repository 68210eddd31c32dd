import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { generateSecret } from '@herald/sdk';
import {
  createEndpoint,
  createOrg,
  eventually,
  startHerald,
  type TestHerald,
} from '../helpers/herald.ts';
import { assessmentCompleted, badgeUser } from '../interop/payloads.ts';
import { CHROMIUM, openPage } from './browser.ts';
import { type CliProcess, runHerald } from './listen-process.ts';

/** Reads server-sent `request` events from the inspector's stream until `count` have arrived. */
async function readStream(url: string, count: number): Promise<any[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}/_herald/stream`, { signal: controller.signal });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const decoder = new TextDecoder();
  const events: any[] = [];
  let buffer = '';
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(message);
      if (/^event: request$/m.test(message) && data) events.push(JSON.parse(data[1]));
      end = buffer.indexOf('\n\n');
    }
    if (events.length >= count) break;
  }
  controller.abort();
  return events;
}

describe('herald listen, driven by a running Herald', () => {
  const secret = generateSecret();
  let t: TestHerald;
  let listener: CliProcess;
  let url: string;
  let orgId: string;

  before(async () => {
    t = await startHerald({ worker: { pollIntervalMs: 20 } });
    listener = runHerald(['listen', '--port', '0', '--secret', secret, '--status', 'flaky']);
    url = (await listener.waitForOutput(/receiving on (http:\/\/127\.0\.0\.1:\d+)/))[1];
    orgId = await createOrg(t);
  });
  after(async () => {
    await listener.stop();
    await t.close();
  });

  test('prints each delivery: signature, type, attempt, body, and the retry as a duplicate', async () => {
    const endpoint = await createEndpoint(t, orgId, {
      url: `${url}/hooks/beedeez`,
      eventTypes: ['certificate_completed'],
      retryPolicy: { schedule: [50] },
    });
    // Make the endpoint sign with the secret the listener knows, retiring its first one at once.
    const rotated = await t.call(
      'POST',
      `/v1/orgs/${orgId}/endpoints/${endpoint.id}/rotate-secret`,
      {
        secret,
        gracePeriodMs: 0,
      },
    );
    assert.equal(rotated.status, 200);

    const payload = badgeUser();
    const sent = await t.call('POST', `/v1/orgs/${orgId}/events`, {
      type: 'certificate_completed',
      payload,
    });
    assert.equal(sent.status, 202);

    // flaky: the first attempt is answered 503, Herald retries, the retry gets 200.
    const delivery = await eventually(async () => {
      const { body } = await t.call('GET', `/v1/orgs/${orgId}/deliveries?event=${sent.body.id}`);
      return body.data[0]?.status === 'delivered' && body.data[0];
    }, 60_000);
    assert.equal(delivery.attemptCount, 2);

    await listener.waitForOutput(/#2 POST/);
    const [first, second] = listener
      .output()
      .split(/\n(?=#\d+ )/)
      .slice(1);
    assert.match(first, /^#1 POST \/hooks\/beedeez /);
    assert.doesNotMatch(first, /duplicate/);
    assert.match(first, /event type: certificate_completed {3}attempt: 1 {3}webhook-id: evt_/);
    assert.ok(first.includes(`webhook-id: ${sent.body.id}`));
    assert.match(first, /signature: ✓ valid/);
    assert.match(first, /user-agent: Herald\//);
    // the body, pretty-printed
    assert.ok(first.includes('  body:\n    {\n      "_id": "507f1f77bcf86cd799439011",'), first);
    assert.match(first, /→ answered 503/);

    assert.match(second, /^#2 POST \/hooks\/beedeez .* duplicate of #1/);
    assert.match(second, /attempt: 2/);
    assert.match(second, /signature: ✓ valid/);
    assert.match(second, /→ answered 200/);
  });

  test('a request signed with another secret is shown ✗ with the reason', async () => {
    const stranger = await createEndpoint(t, orgId, {
      url: `${url}/hooks/stranger`,
      eventTypes: ['assessment.completed'],
      retryPolicy: { schedule: [] },
    });
    assert.notEqual(stranger.secret, secret);
    await t.call('POST', `/v1/orgs/${orgId}/events`, {
      type: 'assessment.completed',
      payload: assessmentCompleted(),
    });
    const [entry] = await listener.waitForOutput(/#3 POST \/hooks\/stranger[\s\S]*?→ answered \d+/);
    assert.match(entry, /signature: ✗ no_matching_signature: /);
    assert.match(entry, /event type: assessment\.completed/);
  });

  test('the live page is served at / and streams the requests over server-sent events', async () => {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /new EventSource\('\/_herald\/stream'\)/);

    const events = await readStream(url, 3);
    assert.deepEqual(
      events.map((e) => [
        e.number,
        e.path,
        e.eventType,
        e.attempt,
        e.signature.state,
        e.duplicateOf,
        e.status,
      ]),
      [
        [1, '/hooks/beedeez', 'certificate_completed', 1, 'valid', null, 503],
        [2, '/hooks/beedeez', 'certificate_completed', 2, 'valid', 1, 200],
        [3, '/hooks/stranger', 'assessment.completed', 1, 'invalid', null, 503],
      ],
    );
    assert.equal(events[2].signature.code, 'no_matching_signature');
    assert.deepEqual(events[0].json, badgeUser());
    assert.equal(events[0].headers['webhook-event-type'], 'certificate_completed');
  });

  test('the page shows the requests to a person, in a real browser', {
    skip: existsSync(CHROMIUM) ? false : 'Debian chromium is not installed',
  }, async () => {
    const page = await openPage(`${url}/`);
    try {
      await eventually(() =>
        page.evaluate<boolean>("document.querySelectorAll('.request').length === 3"),
      );
      const text = await page.evaluate<string>('document.body.innerText');
      assert.match(text, /herald listen\s+live\s+3 received/);
      // newest first
      const summaries = await page.evaluate<string[]>(
        "[...document.querySelectorAll('.request summary')].map((s) => s.textContent)",
      );
      assert.match(summaries[0], /^#3 POST \/hooks\/stranger.*✗ no_matching_signature/);
      assert.match(
        summaries[1],
        /^#2 POST \/hooks\/beedeez.*attempt 2.*✓ signature valid.*duplicate of #1.*→ 200/,
      );
      assert.match(
        summaries[2],
        /^#1 POST \/hooks\/beedeez.*certificate_completed.*attempt 1.*→ 503/,
      );
      // the details hold the headers and the pretty body
      const details = await page.evaluate<string>(
        'document.querySelector(\'.request[data-number="1"] .body\').textContent',
      );
      assert.match(details, /webhook-event-type/);
      assert.match(details, /"name": "Safety Training Certificate"/);
    } finally {
      await page.close();
    }
  });
});
