import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page, Route } from 'playwright-core';
import { ADMIN_TOKEN, createEndpoint, createOrg } from '../../server/test/helpers/herald.ts';
import { SCREENSHOT_DIR, text, useRig } from './helpers/browser.ts';

/** Whether the element the locator finds has the page's focus. */
const focused = (page: Page, selector: Parameters<Page['getByRole']>) =>
  page.getByRole(...selector).evaluate((el) => el === el.ownerDocument.activeElement);

describe('back office: organization picker, slow API, dialogs from the keyboard, time zone', () => {
  const rig = useRig();
  let acme: string;
  let globex: string;

  before(async () => {
    acme = await createOrg(rig.herald, 'Acme Learning');
    globex = await createOrg(rig.herald, 'Globex Academy');
    await createEndpoint(rig.herald, acme, { name: 'Acme LMS', url: `${rig.receiver.url}/acme` });
    await createEndpoint(rig.herald, globex, {
      name: 'Globex HR',
      url: `${rig.receiver.url}/globex`,
    });
    await rig.signIn();
  });

  test('the admin picks an organization from the list and switches to another', async () => {
    const { page } = rig;
    await page.getByRole('link', { name: 'Globex Academy' }).click();
    await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    await page.getByRole('row', { name: 'Globex HR' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/orgs/${globex}/endpoints`);
    await page.getByRole('banner').getByText('Globex Academy').waitFor();
    assert.equal(await page.getByRole('row', { name: 'Acme LMS' }).count(), 0);
    await rig.screenshot('org-picked');

    await page.getByRole('link', { name: 'switch' }).click();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Acme Learning' }).click();
    await page.getByRole('row', { name: 'Acme LMS' }).waitFor();
    await page.getByRole('banner').getByText('Acme Learning').waitFor();
  });

  test('a slow statistics answer holds no page: the table, its menu and the navigation work meanwhile', async () => {
    const { page } = rig;
    // Every statistics request hangs until the test lets it go.
    const held: Route[] = [];
    await page.route('**/endpoints/*/stats?*', (route) => {
      held.push(route);
    });
    await page.goto(`/orgs/${acme}/endpoints`);
    const row = page.getByRole('row', { name: 'Acme LMS' });
    await row.getByRole('switch', { name: 'Enabled: Acme LMS' }).waitFor();
    await row.getByText('…').waitFor();
    assert.ok(held.length > 0, 'the statistics were asked for');
    await row.getByRole('button', { name: 'Actions for Acme LMS' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).waitFor();
    await page.keyboard.press('Escape');
    await rig.screenshot('endpoints-statistics-pending');

    await rig.nav('API keys').click();
    await page.getByText('No API key yet').waitFor();

    await page.unroute('**/endpoints/*/stats?*');
    for (const route of held) await route.continue().catch(() => {});
    await page.goto(`/orgs/${acme}/endpoints`);
    await page
      .getByRole('row', { name: 'Acme LMS' })
      .getByRole('cell', { name: '—' })
      .first()
      .waitFor();
  });

  test('a list slower than its refresh interval still shows, and shows loading until then', async () => {
    const { page } = rig;
    // Longer than the deliveries log's 2-second refresh: a refresh must not cancel the answer under way.
    await page.route('**/v1/orgs/*/deliveries?*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await route.continue().catch(() => {});
    });
    await page.goto(`/orgs/${acme}/deliveries`);
    await page.getByText('Loading deliveries…').waitFor();
    await page.getByText('No delivery matches these filters.').waitFor({ timeout: 15_000 });
    await page.unroute('**/v1/orgs/*/deliveries?*');
  });

  test('every list page says it is loading while its API answer is held', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${acme}/endpoints`);
    await page.getByRole('row', { name: 'Acme LMS' }).waitFor();
    const lists =
      /\/v1\/orgs\/[^/]+\/(endpoints|deliveries|events|badges|certificates|api-keys)(\?|$)/;
    const held: Route[] = [];
    await page.route(lists, (route) => {
      held.push(route);
    });
    const pages: [string, string[]][] = [
      ['Deliveries', ['Loading deliveries…']],
      ['Events', ['Loading events…']],
      ['Certificates', ['Loading badges…', 'Loading certificates…']],
      ['API keys', ['Loading API keys…']],
      ['Endpoints', ['Loading endpoints…']],
    ];
    for (const [link, notes] of pages) {
      await rig.nav(link).click();
      for (const note of notes) await page.getByText(note).waitFor();
    }
    await rig.screenshot('endpoints-loading');
    await page.unroute(lists);
    for (const route of held) await route.continue().catch(() => {});
    await page.getByRole('row', { name: 'Acme LMS' }).waitFor();
  });

  test('dialogs close with Escape and give focus back to what opened them', async () => {
    const { page } = rig;
    await page.goto(`/orgs/${acme}/endpoints`);
    const menuButton: Parameters<Page['getByRole']> = ['button', { name: 'Actions for Acme LMS' }];
    await page.getByRole(...menuButton).focus();
    // From the keyboard: open the menu, End goes to "Delete", Enter asks for confirmation.
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Delete endpoint?' });
    await confirm.waitFor();
    assert.equal(
      await confirm.evaluate((dialog) => dialog.contains(dialog.ownerDocument.activeElement)),
      true,
      'focus moves into the dialog',
    );
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await focused(page, menuButton), true, 'focus is back on the ⋯ button');

    // The secret dialog: Enter on "Reveal secret", then Escape.
    // ArrowDown opens the menu, End and ArrowUp twice reach "Reveal secret".
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const secret = page.getByRole('dialog', { name: 'Signing secret of Acme LMS' });
    await secret.getByText(/^whsec_/).waitFor();
    await page.keyboard.press('Escape');
    await secret.waitFor({ state: 'hidden' });
    assert.equal(await focused(page, menuButton), true, 'focus is back on the ⋯ button');
    assert.equal((await rig.herald.call('GET', `/v1/orgs/${acme}/endpoints`)).body.data.length, 1);
  });

  test("times show in the viewer's time zone", async () => {
    const { body } = await rig.herald.call('GET', '/v1/orgs?limit=100');
    const created = body.data.find((org: { id: string }) => org.id === acme).createdAt as string;
    // The same instant, read by two people half a world apart.
    const seen: Record<string, string> = {};
    for (const timezoneId of ['Asia/Kathmandu', 'America/Los_Angeles']) {
      const context = await rig.browser.newContext({
        baseURL: rig.herald.url,
        timezoneId,
        locale: 'en-GB',
      });
      const page = await context.newPage();
      await page.goto('/');
      await page.getByLabel('Admin token or organization API key').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const time = page.getByRole('row', { name: /Acme Learning/ }).locator('time');
      await time.waitFor();
      assert.equal(await time.getAttribute('datetime'), created);
      seen[timezoneId] = await text(time);
      const expected = new Intl.DateTimeFormat('en-GB', {
        dateStyle: 'medium',
        timeStyle: 'medium',
        timeZone: timezoneId,
      }).format(new Date(created));
      assert.equal(seen[timezoneId], expected, `the time as seen in ${timezoneId}`);
      await page.screenshot({
        path: `${SCREENSHOT_DIR}/time-zone-${timezoneId.replace('/', '-')}.png`,
      });
      await context.close();
    }
    assert.notEqual(seen['Asia/Kathmandu'], seen['America/Los_Angeles']);
  });
});
