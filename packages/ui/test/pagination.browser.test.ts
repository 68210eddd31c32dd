import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createEndpoint, createOrg, eventually } from '../../server/test/helpers/herald.ts';
import { useRig } from './helpers/browser.ts';

/** The back office's page size (its lists ask for `limit=25`). */
const PAGE_SIZE = 25;
/** The `page.test` events (and deliveries) of the 30; the others are `page.other`. */
const FILTERED = PAGE_SIZE + 2;

describe('back office: lists page through the API cursors', () => {
  const rig = useRig();
  let orgId: string;

  before(async () => {
    orgId = await createOrg(rig.herald, 'Paging Learning');
    // One receiving endpoint, and enough idle ones for a second page of endpoints.
    await createEndpoint(rig.herald, orgId, {
      name: 'Receiver',
      url: `${rig.receiver.url}/in`,
      eventTypes: ['page.test', 'page.other'],
    });
    for (let i = 1; i <= PAGE_SIZE; i++)
      await createEndpoint(rig.herald, orgId, {
        name: `Idle ${String(i).padStart(2, '0')}`,
        url: 'http://127.0.0.1:9/idle',
        eventTypes: ['never.sent'],
        enabled: false,
      });
    // More events (and so deliveries) than one page holds; the newest few of
    // another type, so a filter by type makes other pages than no filter.
    for (let n = 1; n <= PAGE_SIZE + 5; n++) {
      const published = await rig.herald.call('POST', `/v1/orgs/${orgId}/events`, {
        type: n <= FILTERED ? 'page.test' : 'page.other',
        payload: { n },
      });
      assert.equal(published.status, 202);
    }
    // And more organizations than one page: the admin's list pages too.
    for (let i = 1; i <= PAGE_SIZE; i++)
      await createOrg(rig.herald, `Tenant ${String(i).padStart(2, '0')}`);
    await rig.signIn();
  });

  /** The first two pages as the API gives them, as row names; `filter` is a query string. */
  async function apiPages(path: string, name: (item: any) => string, filter = '') {
    const list = `${path}?${filter && `${filter}&`}limit=${PAGE_SIZE}`;
    const first = await rig.herald.call('GET', list);
    assert.ok(first.body.nextCursor, `${path} has a second page`);
    const second = await rig.herald.call('GET', `${list}&cursor=${first.body.nextCursor}`);
    assert.equal(second.body.nextCursor, null);
    return [first.body.data.map(name), second.body.data.map(name)] as string[][];
  }

  /** Waits until the table shows exactly `expected` rows, in order. */
  async function rowsAre(rowName: RegExp, expected: string[]) {
    const rows = rig.page.getByRole('row', { name: rowName });
    let shown: (string | null)[] = [];
    await eventually(async () => {
      shown = await rows.evaluateAll((all) => all.map((row) => row.getAttribute('aria-label')));
      return JSON.stringify(shown) === JSON.stringify(expected);
    }).catch(() => assert.deepEqual(shown, expected));
  }

  /**
   * Next to the last page, then Previous back to the first, from the keyboard,
   * checking the rows, the buttons' states, and that focus stays on the button.
   */
  async function walk(rowName: RegExp, [first, second]: string[][], shot: string) {
    const { page } = rig;
    const pager = page.getByRole('navigation', { name: 'Pagination' });
    const next = pager.getByRole('button', { name: 'Next page' });
    const previous = pager.getByRole('button', { name: 'Previous page' });
    const focused = () => page.evaluate('document.activeElement?.textContent');
    await rowsAre(rowName, first);
    await pager.getByText('Page 1').waitFor();
    assert.equal(await previous.getAttribute('aria-disabled'), 'true');

    await next.focus();
    await page.keyboard.press('Enter');
    await pager.getByText('Page 2').waitFor();
    await rowsAre(rowName, second);
    assert.equal(await next.getAttribute('aria-disabled'), 'true', 'the last page has no next');
    // Pressing it again at the end does nothing.
    await page.keyboard.press('Enter');
    await rowsAre(rowName, second);
    assert.equal(await focused(), 'Next page');
    await rig.screenshot(shot);

    await previous.focus();
    await page.keyboard.press('Enter');
    await pager.getByText('Page 1').waitFor();
    await rowsAre(rowName, first);
    assert.equal(await previous.getAttribute('aria-disabled'), 'true');
    assert.equal(await focused(), 'Previous page');
  }

  test('organizations: forward and back', async () => {
    const { page } = rig;
    await page.goto('/orgs');
    const pages = await apiPages('/v1/orgs', (org) => org.name);
    await walk(/^(Paging Learning|Tenant \d+)$/, pages, 'orgs-page-2');
  });

  test('events: loading, 25 per page, forward and back, and an empty filter', async () => {
    const { page } = rig;
    // Hold the first list answer to see the loading state.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(
      `**/v1/orgs/${orgId}/events?*`,
      async (route) => {
        await held;
        await route.continue();
      },
      { times: 1 },
    );
    await page.goto(`/orgs/${orgId}/events`);
    await page.getByText('Loading events…').waitFor();
    release();

    const pages = await apiPages(`/v1/orgs/${orgId}/events`, (event) => event.id);
    assert.deepEqual(
      pages.map((rows) => rows.length),
      [PAGE_SIZE, 5],
    );
    await walk(/^evt_/, pages, 'events-page-2');

    await page
      .getByRole('form', { name: 'Filter events' })
      .getByLabel('Event type')
      .fill('no.such');
    await page.getByText('No no.such event.').waitFor();
    // A name the API would refuse is caught before asking (no 400 in the console).
    await page
      .getByRole('form', { name: 'Filter events' })
      .getByLabel('Event type')
      .fill('no such');
    await page.getByText('"no such" is not an event type name.').waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Pagination' }).count(), 0);
    await rig.screenshot('events-empty-filter');
  });

  test('deliveries: forward and back, and the empty state of a filter', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${orgId}/deliveries`);
    const pages = await apiPages(
      `/v1/orgs/${orgId}/deliveries`,
      (delivery) => `Delivery ${delivery.id}`,
    );
    await walk(/^Delivery dlv_/, pages, 'deliveries-page-2');

    await page.goto(`/orgs/${orgId}/deliveries?status=cancelled`);
    await page.getByText('No delivery matches these filters.').waitFor();
  });

  test('deliveries: the page is in the URL, so reload keeps it, Back and Forward move through it and a filtered link opens it', async () => {
    const { page } = rig;
    const rowName = /^Delivery dlv_/;
    const name = (delivery: any) => `Delivery ${delivery.id}`;
    const pager = page.getByRole('navigation', { name: 'Pagination' });
    const path = `/v1/orgs/${orgId}/deliveries`;
    const [first, second] = await apiPages(path, name);

    await page.goto(`/orgs/${orgId}/deliveries`);
    await rowsAre(rowName, first);
    await pager.getByRole('button', { name: 'Next page' }).click();
    await pager.getByText('Page 2').waitFor();
    await rowsAre(rowName, second);
    assert.match(page.url(), /[?&]cursor=dlv_/, 'the position is in the URL');
    await page.reload();
    await pager.getByText('Page 2').waitFor();
    await rowsAre(rowName, second);
    await page.goBack();
    await pager.getByText('Page 1').waitFor();
    await rowsAre(rowName, first);
    await page.goForward();
    await pager.getByText('Page 2').waitFor();
    await rowsAre(rowName, second);

    // "Page 2 of the delivered page.test deliveries", as someone would paste it.
    const filter = 'status=delivered&eventType=page.test';
    await eventually(async () => {
      const { body } = await rig.herald.call('GET', `${path}?${filter}&limit=100`);
      return body.data.length === FILTERED;
    });
    const [filteredFirst, filteredSecond] = await apiPages(path, name, filter);
    assert.equal(filteredSecond.length, FILTERED - PAGE_SIZE);
    const cursor = (await rig.herald.call('GET', `${path}?${filter}&limit=${PAGE_SIZE}`)).body
      .nextCursor;
    await page.goto(`/orgs/${orgId}/deliveries?${filter}&cursor=${cursor}`);
    await pager.getByText('Page 2').waitFor();
    await rowsAre(rowName, filteredSecond);
    const filters = page.getByRole('form', { name: 'Filter deliveries' });
    assert.equal(await filters.getByLabel('Status').inputValue(), 'delivered');
    assert.equal(await filters.getByLabel('Event type').inputValue(), 'page.test');
    await rig.screenshot('deliveries-filtered-link');
    // The link holds the way back too.
    await pager.getByRole('button', { name: 'Previous page' }).click();
    await pager.getByText('Page 1').waitFor();
    await rowsAre(rowName, filteredFirst);

    // Another filter starts again from the first page.
    await page.goBack();
    await pager.getByText('Page 2').waitFor();
    await filters.getByLabel('Status').selectOption('');
    await pager.getByText('Page 1').waitFor();
    await rowsAre(rowName, filteredFirst);
    assert.doesNotMatch(page.url(), /cursor=/);
    assert.match(page.url(), /eventType=page\.test/);
  });

  test('endpoints: forward and back', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${orgId}/endpoints`);
    const pages = await apiPages(`/v1/orgs/${orgId}/endpoints`, (endpoint) => endpoint.name);
    assert.deepEqual(
      pages.map((rows) => rows.length),
      [PAGE_SIZE, 1],
    );
    await walk(/^(Receiver|Idle \d+)$/, pages, 'endpoints-page-2');
  });
});
